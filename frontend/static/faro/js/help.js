/* Progressive enhancement for help-centre articles. Every form works without this script;
   with it, votes are sent in the background and the page never reloads. */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function send(form, extra) {
    var data = new FormData(form);
    if (extra) { data.set(extra.name, extra.value); }
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(form) }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) { throw new Error(body.error || response.statusText); }
        return body;
      });
    });
  }

  function initFeedback(section) {
    var status = section.querySelector("[data-feedback-status]");
    var vote = section.querySelector("[data-feedback-vote]");
    var details = section.querySelectorAll("[data-feedback-details]");

    vote.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = event.submitter || vote.querySelector("button[value=yes]");
      send(vote, { name: "helpful", value: button.value }).then(function (body) {
        var side = body.helpful ? "helpful" : "unhelpful";
        vote.hidden = true;
        details.forEach(function (form) { form.hidden = form.dataset.feedbackDetails !== side; });
        section.dataset.state = side;
        status.textContent = section.dataset.thanksVote || "";
        var human = document.querySelector("[data-support-after-unhelpful]");
        if (human) { human.hidden = body.helpful; }
        var shown = section.querySelector("[data-feedback-details=" + side + "] input, [data-feedback-details=" + side + "] textarea");
        if (shown) { shown.focus(); }
      }).catch(function (error) { status.textContent = error.message; });
    });

    details.forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        send(form).then(function () {
          form.hidden = true;
          section.dataset.state = "thanks";
          status.textContent = section.dataset.thanks || "Thanks for your feedback!";
        }).catch(function (error) { status.textContent = error.message; });
      });
    });
  }

  function initVideo(figure) {
    var link = figure.querySelector(".video__link");
    if (!link || !figure.dataset.embed) { return; }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var frame = document.createElement("iframe");
      frame.src = figure.dataset.embed + (figure.dataset.embed.indexOf("?") < 0 ? "?" : "&") + "autoplay=1";
      frame.title = link.textContent.trim();
      frame.allow = "autoplay; encrypted-media; picture-in-picture";
      frame.allowFullscreen = true;
      frame.className = "video__frame";
      link.replaceWith(frame);
    });
  }

  document.querySelectorAll("[data-feedback]").forEach(initFeedback);
  document.querySelectorAll("[data-video]").forEach(initVideo);
})();
