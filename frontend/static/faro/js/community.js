/* Community: while a question's title is typed, show articles and threads that may already
   answer it (same search engine as the help centre). Text only: results are never parsed as HTML. */
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
