/* medcite answer page: citation popovers (hover, focus, tap), busy forms, audience switch,
   permalink copy and print. Everything works without this file, just less conveniently. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  var pinned = null;   // the popover opened by a click/tap; hover and focus do not close it
  var hideTimer = null;
  var quiet = false;   // true while focus returns to a citation after closing it

  function refocus(button) {
    quiet = true;
    button.focus({ preventScroll: true });  // the focus event fires synchronously, while quiet
    quiet = false;
  }

  function popoverOf(button) {
    return document.getElementById(button.getAttribute("aria-controls"));
  }

  function place(pop) {
    pop.classList.remove("align-right");
    if (window.matchMedia("(max-width: 40rem)").matches) return;  // bottom sheet on phones
    var rect = pop.getBoundingClientRect();
    if (rect.right > document.documentElement.clientWidth - 8) pop.classList.add("align-right");
  }

  function open(button) {
    clearTimeout(hideTimer);
    document.querySelectorAll(".cite[aria-expanded='true']").forEach(function (other) {
      if (other !== button && other !== pinned) close(other);
    });
    var pop = popoverOf(button);
    if (!pop) return;
    pop.classList.add("open");
    button.setAttribute("aria-expanded", "true");
    place(pop);
  }

  function close(button) {
    var pop = popoverOf(button);
    if (pop) pop.classList.remove("open");
    button.setAttribute("aria-expanded", "false");
    if (pinned === button) pinned = null;
  }

  function closeAll() {
    document.querySelectorAll(".cite[aria-expanded='true']").forEach(close);
    pinned = null;
  }

  function setUpCitations() {
    document.querySelectorAll(".cite-wrap").forEach(function (wrap) {
      var button = wrap.querySelector(".cite");
      if (!button) return;
      wrap.addEventListener("mouseenter", function () { if (!pinned) open(button); });
      wrap.addEventListener("mouseleave", function () {
        if (pinned === button) return;
        hideTimer = setTimeout(function () { close(button); }, 200);
      });
      button.addEventListener("focus", function () { if (!pinned && !quiet) open(button); });
      wrap.addEventListener("focusout", function (event) {
        if (pinned === button || wrap.contains(event.relatedTarget)) return;
        close(button);
      });
      button.addEventListener("click", function (event) {
        event.preventDefault();
        if (pinned === button) { close(button); return; }
        if (pinned) close(pinned);
        pinned = button;
        open(button);
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var shown = document.querySelector(".cite[aria-expanded='true']");
      closeAll();
      if (shown) refocus(shown);
    });
    document.addEventListener("click", function (event) {
      if (pinned && !pinned.parentNode.contains(event.target)) close(pinned);
    });
    document.querySelectorAll(".pop-close").forEach(function (x) {
      x.addEventListener("click", function (event) {
        event.stopPropagation();
        var button = x.closest(".cite-wrap").querySelector(".cite");
        close(button);
        refocus(button);
      });
    });
    // "Reference n in full": highlight the reference the reader jumps to.
    document.querySelectorAll(".pop-link").forEach(function (link) {
      link.addEventListener("click", function () {
        closeAll();
        var target = document.querySelector(link.getAttribute("href"));
        if (target) {
          target.classList.add("flash");
          setTimeout(function () { target.classList.remove("flash"); }, 1600);
          target.focus({ preventScroll: true });
        }
      });
    });
  }

  function announce(text) {
    var live = document.getElementById("live-status");
    if (live) live.textContent = text;
  }

  function setUpForms() {
    document.querySelectorAll("form[data-busy-form]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
        form.setAttribute("aria-busy", "true");
        announce("Answering… this takes a second or two.");
        var button = event.submitter || form.querySelector("[type=submit]");
        if (button && button.classList.contains("btn-primary")) {
          button.dataset.label = button.textContent;
          button.textContent = "Answering…";
        }
      });
    });
    window.addEventListener("pageshow", function () {  // back/forward cache: undo the busy state
      document.querySelectorAll("form[aria-busy='true']").forEach(function (form) {
        form.removeAttribute("aria-busy");
        form.querySelectorAll("[data-label]").forEach(function (b) { b.textContent = b.dataset.label; });
      });
    });
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      form.addEventListener("change", function () {
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      });
    });
  }

  function setUpTools() {
    var copy = document.querySelector("[data-copy-permalink]");
    var link = document.querySelector("[data-permalink]");
    if (link) link.textContent = link.href;  // the full address, for copying by hand and for print
    if (copy && link) {
      copy.addEventListener("click", function () {
        var url = link.href;
        var done = function () { copy.textContent = "Copied"; announce("Link copied"); };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(url).then(done, function () { window.prompt("Copy this link", url); });
        } else {
          window.prompt("Copy this link", url);
        }
      });
    }
    var print = document.querySelector("[data-print]");
    if (print) print.addEventListener("click", function () { window.print(); });
  }

  function start() {
    setUpCitations();
    setUpForms();
    setUpTools();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
