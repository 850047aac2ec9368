// Arc tracking web UI: the only script. Pages work without it; it adds live updates and the copy button.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // A running experiment: when the server says a series got points, fetch the charts again (drawn and downsampled there).
  const charts = document.querySelector("#charts[data-live]");
  if (charts) {
    const stream = new EventSource(charts.dataset.live);
    let fetching = false, again = false;
    const refresh = async () => {
      if (fetching) { again = true; return; }
      fetching = true;
      try {
        const reply = await fetch(charts.dataset.refresh, { credentials: "same-origin" });
        if (reply.ok) charts.innerHTML = await reply.text();
      } finally {
        fetching = false;
        if (again) { again = false; refresh(); }
      }
    };
    stream.addEventListener("changed", refresh);
    stream.addEventListener("ended", () => { stream.close(); refresh(); });
  }
  // The event feed: each new event arrives as a table row the server rendered (and escaped).
  const events = document.querySelector("#events[data-live]");
  if (events) {
    const stream = new EventSource(events.dataset.live);
    stream.addEventListener("tracking", message => {
      events.tBodies[0].insertAdjacentHTML("afterbegin", JSON.parse(message.data).html);
      while (events.tBodies[0].rows.length > 500) events.tBodies[0].deleteRow(-1);
    });
  }
  // Copy buttons (OCI references).
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.addEventListener("click", async () => {
      const field = document.getElementById(button.dataset.copy);
      field.select();
      try { await navigator.clipboard.writeText(field.value); button.textContent = "Copied"; }
      catch { button.textContent = "Press Ctrl+C"; }
    });
  }
});
