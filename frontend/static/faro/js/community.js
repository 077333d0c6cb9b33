/* Community: while a question's title is typed, show articles and threads that may already
   answer it (same search engine as the help centre). Text only: results are never parsed as HTML.
   Votes: sent by fetch, then the score, its words and the pressed state of the buttons follow the
   server's answer (without JavaScript the form posts and the page comes back with the same). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-similar-url]");
  if (!form) return;
  var title = form.querySelector("input[name=title]");
  var box = form.querySelector("[data-similar]");
  var list = form.querySelector("[data-similar-list]");
  var url = form.getAttribute("data-similar-url");
  var timer = null;
  var latest = 0;

  function render(results) {
    list.textContent = "";
    results.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.url;
      link.textContent = hit.title;
      item.appendChild(link);
      if (hit.summary) {
        var summary = document.createElement("p");
        summary.textContent = hit.summary;
        item.appendChild(summary);
      }
      list.appendChild(item);
    });
    box.hidden = results.length === 0;
  }

  function lookup() {
    var query = title.value.trim();
    if (query.length < 8) { render([]); return; }
    var ticket = ++latest;
    fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (ticket === latest) render(data.results || []); })
      .catch(function () {});
  }

  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 350);
  });
  if (title.value) lookup();
})();

(function () {
  "use strict";
  function update(form, data) {
    var label = form.querySelector("[data-score-label]");
    if (label && data.label) label.textContent = data.label;
    form.querySelectorAll("button[name=value]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(Number(button.value) === data.vote));
    });
    var mine = form.parentNode.querySelector("[data-my-vote-label]");
    if (mine) mine.textContent = data.mine || "";
  }

  function showError(form, message) {
    var box = form.parentNode.querySelector("[data-vote-error]");
    if (!box) {
      box = document.createElement("span");
      box.className = "votes__error";
      box.setAttribute("role", "alert");
      box.setAttribute("data-vote-error", "");
      form.parentNode.appendChild(box);
    }
    box.textContent = message || "";
  }

  document.querySelectorAll("form[data-vote]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !window.fetch) return;
      event.preventDefault();
      var body = new FormData(form);
      body.append("value", button.value);
      fetch(form.action, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        })
        .then(function (reply) {
          if (reply.ok) { showError(form, ""); update(form, reply.data); }
          else showError(form, reply.data.error);
        })
        .catch(function () {  // no JSON (e.g. offline then back): post the plain form
          var value = document.createElement("input");
          value.type = "hidden"; value.name = "value"; value.value = button.value;
          form.appendChild(value);
          form.submit();
        });
    });
  });
})();
