// Live page regions: an element with data-live-url is refreshed in place (fetch of that page handler's partial HTML)
// when a notification arrives whose type starts with data-live-types; data-live-request / data-live-household narrow
// it to notifications about that request or household. No full reload: focus and scroll position stay where they are.
(() => {
  "use strict";

  const regions = () => Array.from(document.querySelectorAll("[data-live-url]"));

  function concerns(region, notification) {
    const types = (region.dataset.liveTypes || "").split(" ").filter(Boolean);
    const type = String(notification.type || "");
    if (types.length > 0 && !types.some((prefix) => type.startsWith(prefix))) return false;
    if (region.dataset.liveRequest && notification.requestId !== region.dataset.liveRequest) return false;
    if (region.dataset.liveHousehold && notification.householdId !== region.dataset.liveHousehold) return false;
    return true;
  }

  function isDirty(region) {
    // A form showing its errors, or a step waiting for confirmation, is held as well: a refresh would erase them.
    if (region.querySelector('[aria-invalid="true"], [data-live-hold]')) return true;
    return Array.from(region.querySelectorAll("input, textarea, select")).some((control) => {
      if (control.type === "hidden" || control.type === "submit") return false;
      if (control.type === "checkbox" || control.type === "radio") return control.checked !== control.defaultChecked;
      if (control.tagName === "SELECT") {
        const initial = Math.max(0, Array.from(control.options).findIndex((o) => o.defaultSelected));
        return control.selectedIndex !== initial;
      }
      return control.value !== control.defaultValue;
    });
  }

  // One refresh at a time per region; a notification during a refresh asks for one more afterwards.
  async function refresh(region) {
    if (region.dataset.liveBusy === "true") {
      region.dataset.livePending = "true";
      return;
    }
    region.dataset.liveBusy = "true";
    region.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(region.dataset.liveUrl, {
        headers: { Accept: "text/html" },
        credentials: "same-origin",
      });
      if (response.ok) {
        const html = await response.text();
        // Never throw away what someone has typed or chosen in a form inside the region: then the region stays as
        // it is (the form's expected version makes a stale change fail with a clear message instead).
        if (!isDirty(region)) {
          region.innerHTML = html;
          region.dataset.liveRefreshed = String(Number(region.dataset.liveRefreshed || "0") + 1);
        }
      }
    } catch {
      // Offline: the next notification (or the catch-up after reconnecting) tries again.
    } finally {
      region.dataset.liveBusy = "false";
      region.removeAttribute("aria-busy");
      if (region.dataset.livePending === "true") {
        region.dataset.livePending = "false";
        refresh(region);
      }
    }
  }

  document.addEventListener("frontlijn:notification", (event) => {
    const notification = event.detail || {};
    regions().filter((region) => concerns(region, notification)).forEach(refresh);
  });
})();
