/* The discrepancy report's behaviour: filters, paging, sorting, shortcuts.
   Progressive enhancement: without this script every finding and claim is in the page.
   It only reads data-* attributes and text, and only sets textContent, classList, hidden,
   disabled and aria-* attributes: nothing from the report is ever parsed as markup. */
(function () {
  "use strict";

  var FINDINGS_PER_PAGE = 50;
  var CLAIMS_PER_PAGE = 200;
  var doc = document;
  doc.documentElement.classList.add("js");

  function byId(id) { return doc.getElementById(id); }
  function all(selector, scope) {
    return Array.prototype.slice.call((scope || doc).querySelectorAll(selector));
  }
  function setHidden(el, hidden) {
    if (el && el.hidden !== hidden) { el.hidden = hidden; }
  }
  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
  }
  function matchesAll(haystack, needles) {
    for (var i = 0; i < needles.length; i++) {
      if (haystack.indexOf(needles[i]) < 0) { return false; }
    }
    return true;
  }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  /* Findings: filter, then page. */
  function Findings() {
    this.form = byId("filters");
    this.search = byId("search");
    this.list = byId("finding-list");
    this.count = byId("shown-count");
    this.empty = byId("empty");
    this.prev = byId("page-prev");
    this.next = byId("page-next");
    this.info = byId("page-info");
    this.page = 0;
    this.matching = [];
    this.current = null;
    this.items = all("article.finding", this.list || doc).map(function (el) {
      var docs = all(".quote-card", el).map(function (card) { return card.getAttribute("data-doc"); });
      if (!docs.length) { docs = words(el.getAttribute("data-docs") || ""); }
      var message = el.querySelector(".message");
      return {el: el, severity: el.getAttribute("data-severity"), kind: el.getAttribute("data-kind"),
              docs: docs, text: (message ? message.textContent : "").toLowerCase()};
    });
  }

  Findings.prototype.checked = function (name) {
    var set = {};
    all("input[name='" + name + "']", this.form).forEach(function (box) {
      set[box.value] = box.checked;
    });
    return set;
  };

  Findings.prototype.apply = function () {
    var severity = this.checked("severity");
    var kind = this.checked("kind");
    var docs = this.checked("doc");
    var needles = words(this.search ? this.search.value : "");
    var matching = [];
    this.items.forEach(function (item) {
      var ok = severity[item.severity] !== false && kind[item.kind] !== false &&
        matchesAll(item.text, needles);
      if (ok && item.docs.length) {
        ok = item.docs.some(function (d) { return docs[d] !== false; });
      }
      item.filtered = !ok;
      if (ok) { matching.push(item); }
    });
    this.matching = matching;
    var pages = Math.max(1, Math.ceil(matching.length / FINDINGS_PER_PAGE));
    this.page = Math.min(Math.max(this.page, 0), pages - 1);
    var first = this.page * FINDINGS_PER_PAGE;
    var last = Math.min(first + FINDINGS_PER_PAGE, matching.length);
    var onPage = new Set(matching.slice(first, last));
    this.items.forEach(function (item) {
      setHidden(item.el, !onPage.has(item));
      item.el.classList.toggle("filtered", item.filtered);
    });
    var total = this.items.length;
    this.count.textContent = matching.length + " of " + plural(total, "finding", "findings") + " shown";
    setHidden(this.empty, matching.length > 0);
    this.info.textContent = matching.length ?
      "Page " + (this.page + 1) + " of " + pages + " · " + (first + 1) + "–" + last :
      "Page 1 of 1";
    this.prev.disabled = this.page === 0;
    this.next.disabled = this.page >= pages - 1;
    if (this.current && this.current.hidden) { this.setCurrent(null); }
  };

  Findings.prototype.goPage = function (delta) {
    var pages = Math.max(1, Math.ceil(this.matching.length / FINDINGS_PER_PAGE));
    var page = Math.min(Math.max(this.page + delta, 0), pages - 1);
    if (page === this.page) { return false; }
    this.page = page;
    this.apply();
    return true;
  };

  Findings.prototype.reset = function () {
    all("input[type=checkbox]", this.form).forEach(function (box) { box.checked = true; });
    if (this.search) { this.search.value = ""; }
    this.page = 0;
    this.apply();
  };

  /* Make a finding visible whatever the filters and page, e.g. to follow a link to it. */
  Findings.prototype.reveal = function (el) {
    var item = null;
    for (var i = 0; i < this.items.length; i++) {
      if (this.items[i].el === el) { item = this.items[i]; break; }
    }
    if (!item) { return; }
    if (item.filtered) { this.reset(); }
    var index = this.matching.indexOf(item);
    if (index >= 0) {
      this.page = Math.floor(index / FINDINGS_PER_PAGE);
      this.apply();
    }
    this.setCurrent(el);
  };

  Findings.prototype.visible = function () {
    return this.items.filter(function (item) { return !item.el.hidden; })
      .map(function (item) { return item.el; });
  };

  Findings.prototype.setCurrent = function (el) {
    if (this.current) { this.current.classList.remove("current"); }
    this.current = el;
    if (el) { el.classList.add("current"); }
  };

  Findings.prototype.step = function (delta) {
    var shown = this.visible();
    var at = this.current ? shown.indexOf(this.current) : -1;
    var target;
    if (at < 0) {
      target = delta > 0 ? shown[0] : shown[shown.length - 1];
    } else if (at + delta >= shown.length) {
      if (this.goPage(1)) { target = this.visible()[0]; }
    } else if (at + delta < 0) {
      if (this.goPage(-1)) { shown = this.visible(); target = shown[shown.length - 1]; }
    } else {
      target = shown[at + delta];
    }
    if (!target) { return; }
    this.setCurrent(target);
    target.focus({preventScroll: true});
    settle(target);
  };

  Findings.prototype.bind = function () {
    var self = this;
    var queued = false;
    function later() {
      if (queued) { return; }
      queued = true;
      window.requestAnimationFrame(function () { queued = false; self.page = 0; self.apply(); });
    }
    this.form.addEventListener("submit", function (event) { event.preventDefault(); });
    this.form.addEventListener("change", function () { self.page = 0; self.apply(); });
    if (this.search) { this.search.addEventListener("input", later); }
    this.prev.addEventListener("click", function () { self.goPage(-1); self.scrollToList(); });
    this.next.addEventListener("click", function () { self.goPage(1); self.scrollToList(); });
    var reset = byId("reset-filters");
    if (reset) { reset.addEventListener("click", function () { self.reset(); }); }
  };

  Findings.prototype.scrollToList = function () {
    var shown = this.visible();
    if (shown.length) { settle(shown[0]); }
  };

  /* The claims table: sort by a column's data-sort keys, filter by text, then page. */
  function Claims() {
    this.table = byId("claims");
    this.body = this.table ? this.table.tBodies[0] : null;
    this.search = byId("claim-search");
    this.count = byId("claims-count");
    this.empty = byId("claims-empty");
    this.prev = byId("claims-prev");
    this.next = byId("claims-next");
    this.info = byId("claims-info");
    this.page = 0;
    this.rows = this.body ? all("tr.claim", this.body).map(function (tr, index) {
      return {el: tr, index: index, text: null, filtered: false};
    }) : [];
    this.matching = this.rows;
  }

  Claims.prototype.apply = function () {
    var needles = words(this.search ? this.search.value : "");
    var matching = [];
    this.rows.forEach(function (row) {
      if (needles.length && row.text === null) { row.text = row.el.textContent.toLowerCase(); }
      row.filtered = needles.length > 0 && !matchesAll(row.text, needles);
      if (!row.filtered) { matching.push(row); }
    });
    this.matching = matching;
    var pages = Math.max(1, Math.ceil(matching.length / CLAIMS_PER_PAGE));
    this.page = Math.min(Math.max(this.page, 0), pages - 1);
    var first = this.page * CLAIMS_PER_PAGE;
    var last = Math.min(first + CLAIMS_PER_PAGE, matching.length);
    var onPage = new Set(matching.slice(first, last));
    this.rows.forEach(function (row) {
      setHidden(row.el, !onPage.has(row));
      row.el.classList.toggle("filtered", row.filtered);
    });
    this.count.textContent = matching.length + " of " + plural(this.rows.length, "claim", "claims") + " shown";
    setHidden(this.empty, this.rows.length > 0 && matching.length > 0);
    this.info.textContent = matching.length ?
      "Page " + (this.page + 1) + " of " + pages + " · rows " + (first + 1) + "–" + last :
      "Page 1 of 1";
    this.prev.disabled = this.page === 0;
    this.next.disabled = this.page >= pages - 1;
  };

  Claims.prototype.sort = function (button) {
    var th = button.closest("th");
    var column = th.cellIndex;
    var numeric = button.getAttribute("data-sort-type") === "number";
    var descending = th.getAttribute("aria-sort") === "ascending";
    all("th[aria-sort]", this.table).forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});
    var keyed = this.rows.map(function (row) {
      var raw = row.el.cells[column] ? row.el.cells[column].getAttribute("data-sort") || "" : "";
      var key = numeric ? (raw === "" ? NaN : parseFloat(raw)) : raw;
      var empty = numeric ? isNaN(key) : raw === "";
      return {row: row, key: key, empty: empty};
    });
    var sign = descending ? -1 : 1;
    keyed.sort(function (a, b) {
      if (a.empty !== b.empty) { return a.empty ? 1 : -1; }
      var order = 0;
      if (!a.empty) { order = numeric ? a.key - b.key : collator.compare(a.key, b.key); }
      return order * sign || a.row.index - b.row.index;
    });
    this.rows = keyed.map(function (k) { return k.row; });
    /* Reorder and re-page the rows while their tbody is out of the table: moving tens of
       thousands of rows inside a live table is quadratic in some engines. */
    var body = this.body;
    var marker = body.nextSibling;
    this.table.removeChild(body);
    var fragment = doc.createDocumentFragment();
    this.rows.forEach(function (row) { fragment.appendChild(row.el); });
    body.appendChild(fragment);
    this.page = 0;
    this.apply();
    this.table.insertBefore(body, marker);
  };

  Claims.prototype.reveal = function (el) {
    var row = null;
    for (var i = 0; i < this.rows.length; i++) {
      if (this.rows[i].el === el) { row = this.rows[i]; break; }
    }
    if (!row) { return; }
    if (row.filtered && this.search) { this.search.value = ""; this.apply(); }
    var index = this.matching.indexOf(row);
    if (index >= 0) { this.page = Math.floor(index / CLAIMS_PER_PAGE); this.apply(); }
  };

  Claims.prototype.bind = function () {
    var self = this;
    var queued = false;
    if (this.search) {
      this.search.addEventListener("input", function () {
        if (queued) { return; }
        queued = true;
        window.requestAnimationFrame(function () { queued = false; self.page = 0; self.apply(); });
      });
    }
    all("button[data-sort-key]", this.table).forEach(function (button) {
      button.addEventListener("click", function () { self.sort(button); });
    });
    this.prev.addEventListener("click", function () {
      if (self.page > 0) { self.page -= 1; self.apply(); settle(self.table); }
    });
    this.next.addEventListener("click", function () {
      self.page += 1; self.apply(); settle(self.table);
    });
  };

  /* The help panel. */
  function Help() {
    this.panel = byId("help");
    this.opener = byId("help-open");
    this.closer = byId("help-close");
    this.returnTo = null;
  }

  Help.prototype.toggle = function (open) {
    if (!this.panel) { return; }
    var show = open === undefined ? this.panel.hidden : open;
    if (show && this.panel.hidden) {
      this.returnTo = doc.activeElement;
      this.panel.hidden = false;
      if (this.closer) { this.closer.focus(); }
    } else if (!show && !this.panel.hidden) {
      this.panel.hidden = true;
      if (this.returnTo && this.returnTo.focus) { this.returnTo.focus(); }
    }
    if (this.opener) { this.opener.setAttribute("aria-expanded", String(!this.panel.hidden)); }
  };

  Help.prototype.bind = function () {
    var self = this;
    if (this.opener) { this.opener.addEventListener("click", function () { self.toggle(); }); }
    if (this.closer) { this.closer.addEventListener("click", function () { self.toggle(false); }); }
  };

  /* Scroll an element to the top, again until it stays: cards with content-visibility
     are laid out with an estimated height until they come near the screen. */
  function settle(el) {
    var tries = 0;
    var last = null;
    el.scrollIntoView({block: "start"});
    function check() {
      var top = Math.round(el.getBoundingClientRect().top);
      if (top === last || tries++ > 10) { return; }
      last = top;
      el.scrollIntoView({block: "start"});
      window.requestAnimationFrame(check);
    }
    window.requestAnimationFrame(check);
  }

  function typing(el) {
    if (!el) { return false; }
    var tag = el.tagName;
    if (tag === "INPUT") { return !/^(checkbox|radio|button|submit|reset)$/.test(el.type); }
    return tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function init() {
    var findings = new Findings();
    var claims = new Claims();
    var help = new Help();
    if (findings.form && findings.count) { findings.bind(); findings.apply(); }
    if (claims.body && claims.count) { claims.bind(); claims.apply(); }
    help.bind();
    doc.documentElement.classList.add("ready");

    /* Links to a finding or claim hidden by a filter or a page bring it into view first. */
    function reveal(id) {
      var el = id ? byId(id) : null;
      if (!el) { return null; }
      if (el.classList.contains("finding")) { findings.reveal(el); }
      else if (el.classList.contains("claim")) { claims.reveal(el); }
      return el;
    }
    function hashId() {
      try { return decodeURIComponent(window.location.hash.slice(1)); }
      catch (e) { return window.location.hash.slice(1); }
    }
    doc.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
      var el = link ? reveal(link.getAttribute("href").slice(1)) : null;
      if (el) { window.requestAnimationFrame(function () { settle(el); }); }
    }, true);
    window.addEventListener("hashchange", function () {
      var el = reveal(hashId());
      if (el) { settle(el); }
    });
    if (window.location.hash) {
      var target = reveal(hashId());
      if (target) { settle(target); }
    }

    doc.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var active = doc.activeElement;
      if (event.key === "Escape") {
        if (help.panel && !help.panel.hidden) { help.toggle(false); event.preventDefault(); }
        else if (typing(active)) { active.blur(); }
        return;
      }
      if (typing(active)) { return; }
      switch (event.key) {
        case "/":
          if (findings.search) {
            event.preventDefault();
            findings.search.focus();
            findings.search.select();
          }
          break;
        case "?":
          event.preventDefault();
          help.toggle();
          break;
        case "j":
          event.preventDefault();
          findings.step(1);
          break;
        case "k":
          event.preventDefault();
          findings.step(-1);
          break;
        case "n":
          if (findings.goPage(1)) { findings.scrollToList(); }
          break;
        case "p":
          if (findings.goPage(-1)) { findings.scrollToList(); }
          break;
        default:
          break;
      }
    });
  }

  if (doc.readyState === "loading") {
    doc.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
