// Small enhancements; every page works without them.
(() => {
  "use strict";

  document.addEventListener("DOMContentLoaded", () => {
    // After a refused form, take keyboard and screen-reader users to the summary of what to fix.
    const summary = document.getElementById("formulierfouten");
    if (summary) summary.focus();

    // Fields that only apply to some roles (team, organisation, caseload) are hidden and not sent for other roles.
    // The server still decides: the command's validator refuses a wrong combination.
    const role = document.querySelector("[data-role-select]");
    if (role) {
      const sync = () => {
        document.querySelectorAll("[data-for-roles]").forEach((field) => {
          const applies = field.dataset.forRoles.split(" ").includes(role.value);
          field.hidden = !applies;
          field.querySelectorAll("input, select").forEach((control) => {
            control.disabled = !applies;
          });
        });
      };
      role.addEventListener("change", sync);
      sync();
    }
  });
})();
