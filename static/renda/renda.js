/* What every page does in script, kept in this file: the Content-Security-Policy (renda/settings/base.py)
 * runs no inline script and no inline event handler.
 *
 *   <select data-autosubmit>   sends its form as soon as a choice is made (language, year and town filters);
 *                              without script the page still has its submit button or reloads as before.
 */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.tagName === "SELECT" && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    }
  });
})();
