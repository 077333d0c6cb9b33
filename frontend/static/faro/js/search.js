/* Progressive enhancement for search. Every search box is a plain GET form without this script;
   with it, the box becomes an ARIA combobox with as-you-type suggestions (WAI-ARIA APG
   "combobox with listbox popup", list autocomplete), result clicks are reported with
   navigator.sendBeacon (the link still navigates), and the results count is announced. */
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;
  var uid = 0;

  function initSuggest(field) {
    var input = field.querySelector("input[type=search]");
    var listbox = field.querySelector("[role=listbox]");
    var status = field.querySelector("[data-suggest-status]");
    if (!input || !listbox || !window.fetch) { return; }
    var form = input.form;
    var options = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = null;
    var prefix = "suggest-" + (++uid);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    function isOpen() { return !listbox.hidden; }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function open() {
      if (!options.length) { return; }
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
        option.classList.toggle("is-active", i === index);
      });
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
      } else {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function go(option) {
      close();
      window.location.assign(option.dataset.url);
    }

    function render(suggestions) {
      listbox.textContent = "";
      options = suggestions.map(function (suggestion, i) {
        var option = document.createElement("li");
        option.id = prefix + "-option-" + i;
        option.className = "search-box__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.url = suggestion.url;
        option.textContent = suggestion.title;
        // mousedown would blur the input (and close the list) before the click lands.
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { go(option); });
        listbox.appendChild(option);
        return option;
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (options.length) { open(); } else { close(); }
      if (status) {
        status.textContent = options.length
          ? (field.dataset.msgCount || "__N__").replace("__N__", options.length)
          : "";
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) { open(); return; }
      lastQuery = query;
      if (controller) { controller.abort(); }
      if (!query) { render([]); return; }
      controller = new AbortController();
      var url = field.dataset.suggestUrl + "?" + new URLSearchParams({
        q: query.slice(0, 300), locale: field.dataset.locale || document.documentElement.lang
      });
      fetch(url, {
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
        signal: controller.signal
      }).then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      }).then(function (body) {
        if (input.value.trim() === query && document.activeElement === input) {
          render(body.suggestions || []);
        }
      }).catch(function () { /* aborted or offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      switch (event.key) {
        case "ArrowDown":
          if (!options.length) { return; }
          event.preventDefault();
          open();
          highlight(active + 1 >= options.length ? 0 : active + 1);
          break;
        case "ArrowUp":
          if (!options.length) { return; }
          event.preventDefault();
          open();
          highlight(active <= 0 ? options.length - 1 : active - 1);
          break;
        case "Enter":
          if (isOpen() && active >= 0) {
            event.preventDefault();
            go(options[active]);
          }
          // Otherwise the form submits: a full search.
          break;
        case "Escape":
          if (isOpen()) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            lastQuery = null;
            render([]);
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () { close(); });
    input.addEventListener("focus", function () {
      if (options.length && input.value.trim() === lastQuery) { open(); }
    });
    if (form) { form.addEventListener("submit", close); }
  }

  function initClicks(list) {
    var url = list.dataset.clickUrl;
    var queryId = list.dataset.queryId;
    if (!url || !queryId || !navigator.sendBeacon) { return; }

    function report(event) {
      var link = event.target.closest("a[data-result]");
      if (!link || (event.type === "auxclick" && event.button !== 1)) { return; }
      // Form-encoded: a beacon cannot carry a CSRF header or a JSON content type everywhere.
      navigator.sendBeacon(url, new URLSearchParams({
        query_id: queryId,
        type: link.dataset.type,
        id: link.dataset.id,
        section: link.dataset.section || "",
        position: link.dataset.position
      }));
    }
    list.addEventListener("click", report);
    list.addEventListener("auxclick", report);
  }

  function announce(region) {
    // Screen readers ignore live regions filled before load: repeat the count in a fresh,
    // visually hidden live region once the page has settled.
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    document.body.appendChild(live);
    window.setTimeout(function () { live.textContent = region.textContent.trim(); }, 500);
  }

  document.querySelectorAll("[data-suggest]").forEach(initSuggest);
  document.querySelectorAll("[data-search-results]").forEach(initClicks);
  document.querySelectorAll("[data-search-status]").forEach(announce);
})();
