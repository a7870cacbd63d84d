// The notification bell: live pushes over SignalR (hub method "notification") and, on every (re)connect, a catch-up
// from the inbox (GET /api/v1/notifications?after=<cursor>), which is the source of truth. The cursor is the
// recipient's own integer sequence (`cursor` on each item and push, `nextCursor` on the page), not an id.
// Each item links to what it is about (the request, else the household, else the triage queue) and says who it is
// about (family name, address, coach: fetched from /meldingen/onderwerpen when the panel opens — titles carry no
// names). Opening the panel marks nothing read: following an item marks that one, "Alles gelezen" marks them all.
// Each new notification is also dispatched as a "frontlijn:notification" event on document, so that a page showing
// live data can refresh the part that changed (see live.js).
(() => {
  "use strict";

  const root = document.querySelector("[data-notifications]");
  if (!root || !window.signalR) return;

  const button = document.getElementById("bell-button");
  const panel = document.getElementById("bell-panel");
  const count = document.getElementById("bell-count");
  const list = document.getElementById("bell-list");
  const empty = document.getElementById("bell-empty");
  const status = document.getElementById("realtime-status");
  const toasts = document.getElementById("toasts");
  const allRead = document.getElementById("bell-all-read");
  const householdLinks = root.dataset.householdLinks === "true";
  const triageLink = root.dataset.triageLink === "true";

  const TOAST_MS = 10000;
  const known = new Map(); // id -> { notification, read, item }
  // How far the inbox has been read. Only the inbox moves it: a push with cursor n may arrive while n-1 is still
  // unread after a reconnect, so jumping to a pushed cursor could skip one. Ids keep push and inbox from doubling up.
  let cursor = 0;
  const PAGE = 50;

  const timeFormat = new Intl.DateTimeFormat("nl-NL", { dateStyle: "medium", timeStyle: "short" });

  function unread() {
    let n = 0;
    for (const entry of known.values()) if (!entry.read) n++;
    return n;
  }

  function render() {
    const n = unread();
    count.textContent = String(n);
    count.dataset.count = String(n);
    empty.hidden = known.size > 0;
    if (allRead) allRead.hidden = n === 0;
  }

  const isGuid = (value) => typeof value === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

  // Where a notification leads: its request, else its household (for the team), else the triage queue or the objectives.
  function target(notification) {
    const type = String(notification.type || "");
    if (triageLink && type.startsWith("nl.frontlijn.signal.")) return "/team/triage";
    // An objective that is behind names no household or request: it leads to the team's objectives (team leads only).
    if (triageLink && type === "nl.frontlijn.team.objective-behind") return "/team/doelen";
    if (isGuid(notification.requestId)) return "/verzoeken/" + notification.requestId;
    if (householdLinks && isGuid(notification.householdId)) return "/huishoudens/" + notification.householdId;
    return null;
  }

  function describe(notification) {
    return typeof notification.title === "string" && notification.title.trim() !== ""
      ? notification.title
      : "Nieuwe melding";
  }

  // Adds one notification once: a push and the catch-up may both deliver it.
  function add(notification, announce) {
    if (!notification || typeof notification !== "object" || typeof notification.id !== "string") return;
    if (known.has(notification.id)) return;

    const item = document.createElement("li");
    item.className = "bell-item";
    const href = target(notification);
    const holder = href ? document.createElement("a") : document.createElement("div");
    holder.className = "bell-item-link";
    if (href) {
      holder.href = href;
      holder.addEventListener("click", () => markRead(notification.id));
    }
    const title = document.createElement("span");
    title.className = "bell-item-title";
    title.textContent = describe(notification);
    holder.append(title);
    const marker = document.createElement("span");
    marker.className = "visually-hidden bell-item-unread";
    marker.textContent = " (ongelezen)";
    holder.append(marker);
    const about = document.createElement("span");
    about.className = "bell-item-about";
    holder.append(about);
    item.append(holder);
    const created = notification.createdAt ? new Date(notification.createdAt) : null;
    if (created && !Number.isNaN(created.getTime())) {
      const time = document.createElement("time");
      time.className = "bell-item-time";
      time.dateTime = created.toISOString();
      time.textContent = timeFormat.format(created);
      item.append(time);
    }
    list.prepend(item);

    const read = Boolean(notification.readAt || notification.read === true);
    known.set(notification.id, { notification, read, item, about, marker, described: false });
    if (!read) item.classList.add("is-unread");
    else marker.remove();
    render();
    if (!panel.hidden) describeSubjects();
    if (announce) toast(describe(notification));
    // Not for the first quiet load: the page was just rendered from the server and is current (a refresh then would
    // only throw away what the server showed, such as a form's errors).
    if (announce || loaded) document.dispatchEvent(new CustomEvent("frontlijn:notification", { detail: notification }));
  }

  // The toast container is an aria-live="polite" region: screen readers read the new text without moving focus.
  function toast(text) {
    const element = document.createElement("div");
    element.className = "toast";
    element.textContent = text;
    toasts.append(element);
    window.setTimeout(() => element.remove(), TOAST_MS);
  }

  // Reads the inbox after the cursor, page by page. The first load shows what is there quietly; after a reconnect,
  // what was missed is announced like a push (the page's live parts refresh too).
  let loaded = false;
  async function catchUp() {
    try {
      for (let pages = 0; pages < 20; pages++) {
        const url = "/api/v1/notifications?after=" + encodeURIComponent(String(cursor)) + "&limit=" + PAGE;
        const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!response.ok) return; // the next reconnect tries again
        const body = await response.json();
        const items = Array.isArray(body.items) ? body.items : [];
        items.slice().sort((a, b) => a.cursor - b.cursor).forEach((n) => add(n, loaded && !n.readAt));
        if (Number.isInteger(body.nextCursor) && body.nextCursor > cursor) cursor = body.nextCursor;
        if (!body.hasMore || items.length === 0) break;
      }
      loaded = true;
    } catch {
      // Offline or not JSON: nothing to catch up now.
    }
  }

  // An unsafe /api call with the session cookie must carry the page's antiforgery token (see _Layout.cshtml).
  function antiforgeryHeaders() {
    const name = document.querySelector('meta[name="antiforgery-header"]');
    const token = document.querySelector('meta[name="antiforgery-token"]');
    return name && token ? { [name.content]: token.content } : {};
  }
  function post(id) {
    // keepalive: the click on the item navigates away at once; the request still goes out.
    return fetch("/api/v1/notifications/" + encodeURIComponent(id) + "/read", {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: antiforgeryHeaders(),
    }).catch(() => undefined);
  }

  function setRead(entry) {
    entry.read = true;
    entry.item.classList.remove("is-unread");
    entry.marker.remove();
  }

  // The one notification that was followed.
  function markRead(id) {
    const entry = known.get(id);
    if (!entry || entry.read) return;
    setRead(entry);
    render();
    post(id);
  }

  // Only on the explicit "Alles gelezen".
  async function markAllRead() {
    const pending = [];
    for (const [id, entry] of known) {
      if (entry.read) continue;
      setRead(entry);
      pending.push(post(id));
    }
    render();
    await Promise.all(pending);
  }

  // Fills in who the notifications are about (household and coach), for those not described yet.
  async function describeSubjects() {
    const waiting = Array.from(known.values()).filter((e) => !e.described).slice(0, 100);
    const query = new URLSearchParams();
    for (const entry of waiting) {
      if (isGuid(entry.notification.requestId)) query.append("r", entry.notification.requestId);
      else if (isGuid(entry.notification.householdId)) query.append("h", entry.notification.householdId);
      else entry.described = true;
    }
    if (!query.toString()) return;
    try {
      const response = await fetch("/meldingen/onderwerpen?" + query.toString(), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const body = await response.json();
      for (const entry of waiting) {
        const n = entry.notification;
        const subject = (isGuid(n.requestId) && body.requests && body.requests[n.requestId]) ||
          (isGuid(n.householdId) && body.households && body.households[n.householdId]) || null;
        entry.described = true;
        if (subject) entry.about.textContent = subject.household + " · " + subject.coach;
      }
    } catch {
      // Offline: the titles alone still say what happened; the next opening tries again.
    }
  }

  const statusText = {
    connecting: "Verbinden met live meldingen…",
    connected: "Live meldingen staan aan.",
    reconnecting: "Verbinding verbroken; live meldingen worden hersteld…",
    disconnected: "Geen verbinding voor live meldingen. We proberen het zo opnieuw.",
  };

  function setStatus(state) {
    status.dataset.state = state;
    status.textContent = statusText[state];
    document.body.dataset.realtime = state;
  }

  // Panel: a disclosure button; Escape and a click elsewhere close it.
  function openPanel(open) {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) describeSubjects();
  }
  if (allRead) allRead.addEventListener("click", () => markAllRead());
  button.addEventListener("click", () => openPanel(panel.hidden));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) {
      openPanel(false);
      button.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (!panel.hidden && !root.contains(event.target)) openPanel(false);
  });

  // Same origin, so negotiate and the WebSocket carry the session cookie; no token in the page.
  const connection = new window.signalR.HubConnectionBuilder()
    .withUrl("/hubs/notifications")
    .withAutomaticReconnect([0, 2000, 5000, 10000, 30000])
    .configureLogging(window.signalR.LogLevel.Warning)
    .build();

  connection.on("notification", (notification) => add(notification, true));
  connection.onreconnecting(() => setStatus("reconnecting"));
  connection.onreconnected(async () => {
    await ready();
    setStatus("connected");
    catchUp();
  });
  // Automatic reconnect gives up after its last delay; keep trying, slowly, for as long as the page is open.
  connection.onclose(() => {
    setStatus("disconnected");
    window.setTimeout(start, 30000);
  });

  // The hub answers Ready once this connection is in its groups: from then on no push is missed, and the catch-up
  // that follows covers everything before.
  async function ready() {
    try {
      await connection.invoke("Ready");
    } catch {
      // An older server without Ready: the catch-up still covers the gap.
    }
  }

  async function start() {
    setStatus("connecting");
    try {
      await connection.start();
      await ready();
      setStatus("connected");
    } catch {
      setStatus("disconnected");
      window.setTimeout(start, 15000);
      return;
    }
    await catchUp();
  }

  render();
  start();
})();
