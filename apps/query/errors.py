"""Why a statement has no rows: the original's statuses, each with a message for the user."""

SUCCESS = "success"
SYNTAX_ERROR = "syntax_error"
MISSING_PARAMETERS = "missing_parameters"
EVALUATION_ERROR = "evaluation_error"


class QueryError(Exception):
    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status
        self.message = message

    @classmethod
    def syntax(cls, message: str) -> "QueryError":
        return cls(SYNTAX_ERROR, message)

    @classmethod
    def evaluation(cls, message: str) -> "QueryError":
        return cls(EVALUATION_ERROR, message)

    @classmethod
    def missing(cls, message: str) -> "QueryError":
        return cls(MISSING_PARAMETERS, message)


def table_does_not_exist(name: str) -> QueryError:
    return QueryError.syntax(f'Table "{name}" does not exist')
