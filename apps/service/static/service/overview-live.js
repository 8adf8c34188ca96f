/* The overview's latest changes, kept up to date from the event stream (GET /events/stream,
   which the proxy sends to the stream process): each change of the inventory committed after
   the page was made is added at the top, and the list keeps its length. The browser's
   EventSource reconnects by itself, sending the last id it got, so nothing is missed. */
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const module = document.getElementById("overview-changes");
  if (!module || !window.EventSource) {
    return;
  }
  const table = module.querySelector("table");
  const kinds = module.dataset.kinds.split(" ");
  const url = new URL(module.dataset.stream, window.location.href);
  kinds.forEach((kind) => url.searchParams.append("kind", kind));
  url.searchParams.set("lastEventId", module.dataset.lastId);

  const show = (message) => {
    const change = JSON.parse(message.data);
    const row = table.tBodies[0].insertRow(0);
    row.className = "overview-live";
    row.dataset.eventId = change.id;
    const cells = [
      ["td", "just now"],
      ["th", `${change.kind} ${change.name || change.entityId}`],
      ["td", change.field],
      ["td", change.oldValue ?? "none"],
      ["td", change.newValue ?? "none"],
    ];
    for (const [tag, text] of cells) {
      const cell = document.createElement(tag);
      cell.textContent = text;  // names come from the clouds: text, never markup
      row.appendChild(cell);
    }
    row.cells[0].title = change.time;
    while (table.tBodies[0].rows.length > Number(module.dataset.shown)) {
      table.tBodies[0].deleteRow(-1);
    }
    table.hidden = false;
    module.querySelector(".overview-empty")?.remove();
  };

  const source = new EventSource(url);
  kinds.forEach((kind) => source.addEventListener(kind, show));
});
