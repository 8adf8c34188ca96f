# The admin's dates, short and sortable by eye: "2026-12-02 23:33" rather than
# "Dec. 2, 2026, 11:33 p.m.", which wraps in the list pages' columns.
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
