/* What every page does in script, kept in this file: the Content-Security-Policy (renda/settings/base.py)
 * runs no inline script and no inline event handler.
 *
 *   <select data-autosubmit>   sends its form as soon as a choice is made (language, year and town filters);
 *                              without script the page still has its submit button or reloads as before.
 *   <div data-watch="URL" data-watch-state="STATE">
 *                              a screen waiting for a step (a report-back hall while rating or counting):
 *                              reads the JSON at URL twice a second and reloads the page once its `state`
 *                              is no longer STATE, so the result shows within a second of the tellers' last
 *                              share.
 *   <button data-confirm="TEXT">  a step that cannot be undone (closing a vote or a rating, publishing
 *                              results or scores): asks once, saying what will happen; the form is sent
 *                              only when the person agrees (without script the step is taken at once).
 */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.tagName === "SELECT" && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    }
  });

  document.addEventListener(
    "submit",
    function (event) {
      var button = event.submitter;
      var form = event.target;
      var ask = (button && button.getAttribute("data-confirm")) || (form && form.getAttribute("data-confirm"));
      if (ask && !window.confirm(ask)) event.preventDefault();
    },
    true
  );

  var watched = document.querySelector("[data-watch]");
  if (watched && window.fetch) {
    var url = watched.getAttribute("data-watch");
    var state = watched.getAttribute("data-watch-state");
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (data) {
          if (data && data.state && data.state !== state) location.reload();
          else setTimeout(poll, 500);
        })
        .catch(function () {
          setTimeout(poll, 2000);
        });
    };
    setTimeout(poll, 500);
  }
})();
