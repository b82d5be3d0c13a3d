// The admin page's only script, served by the service itself (/admin/admin.js): it refreshes the
// table and sends the stop and restart requests. The browser attaches the same credentials it used
// for /admin (a Basic login, or headers a tool adds) to these same-origin requests.
"use strict";

const rows = document.getElementById("rows");
const statusLine = document.getElementById("status");

async function refresh() {
  try {
    const response = await fetch("/admin/rows", { cache: "no-store" });
    if (!response.ok) {
      statusLine.textContent = `Refresh failed: ${response.status}`;
      return;
    }
    rows.innerHTML = await response.text();
    statusLine.textContent = `Refreshed at ${new Date().toLocaleTimeString()}; every 2 seconds.`;
  } catch (e) {
    statusLine.textContent = `Refresh failed: ${e}`;
  }
}

rows.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) {
    return;
  }
  const id = button.dataset.id;
  const stop = button.dataset.action === "stop";
  button.disabled = true;
  statusLine.textContent = `${stop ? "Stopping" : "Restarting"} ${id.slice(0, 8)}…`;
  const response = await fetch(stop ? `/instances/${id}` : `/instances/${id}/restart`, { method: stop ? "DELETE" : "POST" });
  statusLine.textContent = response.ok ? `${stop ? "Stopped" : "Restarted"} ${id.slice(0, 8)}.` : `Failed: ${response.status}`;
  await refresh();
});

setInterval(refresh, 2000);
