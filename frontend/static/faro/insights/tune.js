// Insights → tune a search: the "Pin an article" finder lists matching articles as you type.
// Without script the Find button does the same through a normal GET.
(function () {
  "use strict";
  var form = document.querySelector("[data-article-finder]");
  if (!form) return;
  var input = form.querySelector("input[name=find]");
  var target = document.getElementById("article-choices");
  var timer = null;
  var latest = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var params = new URLSearchParams(new FormData(form));
      params.set("fragment", "articles");
      var ticket = ++latest;
      fetch(window.location.pathname + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { if (ticket === latest) target.innerHTML = html; })
        .catch(function () {});
    }, 200);
  });
})();
