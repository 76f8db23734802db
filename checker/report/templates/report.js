/* The discrepancy report's behaviour: filters, paging, sorting, shortcuts, and the
   findings and claims that a large report carries as data.
   Progressive enhancement: without this script the page shows every finding and claim of a
   small report, and the first page of each of a large one (it says how many more it holds).
   A large report's other findings and claims are rows of plain values in the JSON of
   #report-data; they are rendered on demand, when their page is shown or a link leads to
   them, by cloning the page's <template>s (written by the same macros as the first page)
   and setting textContent and attributes. Nothing from the report is ever parsed as
   markup: no innerHTML, and links only to the page's own anchors or to http(s) URLs. */
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
  function pageSize(el, fallback) {
    var n = el ? parseInt(el.getAttribute("data-page-size"), 10) : NaN;
    return n > 0 ? n : fallback;
  }
  function remove(el) {
    if (el && el.parentNode) { el.parentNode.removeChild(el); }
  }
  function textNode(text) { return doc.createTextNode(text); }
  function webUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null; }

  /* Give each wanted item (in list order) an element, inserted among the list's rendered
     ones in list order; ``item.pos`` is its index in ``items``. Backwards, so that each
     search for the next rendered element stops at the one just inserted. */
  function materialize(items, wanted, parent, make, rendered) {
    for (var i = wanted.length - 1; i >= 0; i--) {
      var item = wanted[i];
      if (item.el) { continue; }
      var before = null;
      for (var j = item.pos + 1; j < items.length; j++) {
        if (items[j].el) { before = items[j].el; break; }
      }
      item.el = make(item.row);
      item.el.hidden = true;
      parent.insertBefore(item.el, before);
      rendered.push(item);
    }
  }
  /* Render the items of the current page (from data when needed), show them, hide every
     other rendered one, and update the "not rendered" note. Findings and claims share it. */
  function showPaged(all, onPage, container, make, rendered, note, noun) {
    materialize(all, onPage, container, make, rendered);
    var visible = new Set(onPage);
    rendered.forEach(function (item) {
      setHidden(item.el, !visible.has(item));
      item.el.classList.toggle("filtered", !!item.filtered);
    });
    updateNote(note, rendered.length, all.length, noun);
  }

  /* Render every item (for print); true when anything new was rendered. */
  function renderEvery(all, container, make, rendered) {
    if (rendered.length >= all.length) { return false; }
    materialize(all, all, container, make, rendered);
    return true;
  }


  /* The report's data: findings and claims beyond the first page. */
  function fieldIndex(names) {
    var index = {};
    (names || []).forEach(function (name, i) { index[name] = i; });
    return index;
  }

  function Data() {
    var script = byId("report-data");
    var raw = script ? JSON.parse(script.textContent) : {};
    var fields = raw.fields || {};
    this.findings = raw.findings || [];
    this.claims = raw.claims || [];
    this.cards = raw.cards || {};
    this.documents = raw.documents || {};
    this.F = fieldIndex(fields.finding);
    this.C = fieldIndex(fields.card);
    this.D = fieldIndex(fields.document);
    this.R = fieldIndex(fields.claim);
    this.templates = {finding: this.template("finding-template"),
                      card: this.template("card-template"),
                      claim: this.template("claim-template")};
  }

  Data.prototype.template = function (id) {
    var el = byId(id);
    return el && el.content ? el.content.firstElementChild : null;
  };

  Data.prototype.clone = function (name) {
    return doc.importNode(this.templates[name], true);
  };

  Data.prototype.document = function (id) {
    var D = this.D;
    var d = this.documents[id] || [];
    return {anchor: d[D.anchor] || "", outlet: d[D.outlet] || "", title: d[D.title] || "",
            url: webUrl(d[D.url]), published: d[D.published] || ""};
  };

  /* The documents a data finding quotes, as the filter by document reads them. */
  Data.prototype.findingDocs = function (row) {
    var self = this;
    var docs = [];
    row[this.F.evidence].forEach(function (key) {
      var card = self.cards[key];
      if (card) { docs.push(card[self.C.doc]); }
    });
    return docs.length ? docs : words(row[this.F.docs] || "");
  };

  /* The same element as the template's finding_article macro writes. */
  Data.prototype.finding = function (row) {
    var F = this.F;
    var el = this.clone("finding");
    var anchor = row[F.anchor];
    var severity = row[F.severity];
    var independent = row[F.independent];
    el.setAttribute("class", "finding sev-" + severity);
    el.setAttribute("id", anchor);
    el.setAttribute("data-severity", severity);
    el.setAttribute("data-kind", row[F.kind]);
    el.setAttribute("data-docs", row[F.docs]);
    el.setAttribute("data-rule", row[F.rule]);
    el.setAttribute("data-status", row[F.status] || "");
    el.setAttribute("aria-labelledby", anchor + "-msg");
    var badge = el.querySelector(".finding-head .severity");
    badge.setAttribute("class", "severity sev-" + severity);
    badge.textContent = severity;
    var status = el.querySelector(".finding-head .status");
    if (row[F.status]) {
      status.setAttribute("class", "status status-" + row[F.status]);
      status.textContent = row[F.status];
    } else {
      remove(status);
    }
    var triage = el.querySelector(".finding-head .triage");
    if (row[F.triage]) { triage.textContent = row[F.triage]; } else { remove(triage); }
    var triageNote = el.querySelector(".triage-note");
    if (row[F.triage_note]) { triageNote.textContent = row[F.triage_note]; } else { remove(triageNote); }
    var lineage = el.querySelector(".lineage");
    if (row[F.lineage]) { lineage.textContent = row[F.lineage]; } else { remove(lineage); }
    el.querySelector(".finding-head .kind").textContent = row[F.kind];
    el.querySelector(".finding-head .rule").textContent = row[F.rule];
    var sources = el.querySelector(".finding-head .independent");
    if (independent === null || independent === undefined) {
      remove(sources);
    } else {
      sources.textContent = independent + " independent source" + (independent === 1 ? "" : "s");
    }
    var permalink = el.querySelector(".permalink");
    permalink.setAttribute("href", "#" + anchor);
    permalink.textContent = "#" + row[F.id];
    var message = el.querySelector(".message");
    message.setAttribute("id", anchor + "-msg");
    message.textContent = row[F.message];
    /* "Why aligned" [measure ": "] why */
    var why = el.querySelector(".why");
    var label = why.querySelector(".why-label");
    var measure = why.querySelector(".why-measure");
    while (why.lastChild && why.lastChild !== label) { why.removeChild(why.lastChild); }
    why.appendChild(textNode(" "));
    if (row[F.measure]) {
      measure.textContent = row[F.measure];
      why.appendChild(measure);
      why.appendChild(textNode(": "));
    }
    why.appendChild(textNode(row[F.why] || "—"));
    var evidence = el.querySelector(".evidence");
    var self = this;
    row[F.evidence].forEach(function (key) {
      var card = self.card(key);
      if (card) {
        evidence.appendChild(card);
        evidence.appendChild(textNode("\n"));
      }
    });
    return el;
  };

  /* The same element as the template's quote_card macro writes. */
  Data.prototype.card = function (key) {
    var C = this.C;
    var c = this.cards[key];
    if (!c) { return null; }
    var el = this.clone("card");
    var docId = c[C.doc];
    var d = this.document(docId);
    el.setAttribute("data-doc", docId);
    el.querySelector(".card-outlet").textContent = d.outlet || d.title || docId;
    el.querySelector(".card-date").textContent = d.published;
    var quote = el.querySelector(".quote");
    var mark = quote.querySelector("mark.fig");
    quote.textContent = "";
    if (c[C.before]) { quote.appendChild(textNode(c[C.before])); }
    mark.textContent = c[C.figure];
    quote.appendChild(mark);
    if (c[C.after]) { quote.appendChild(textNode(c[C.after])); }
    el.querySelector(".period").textContent = c[C.period];
    el.querySelector(".attribution").textContent = c[C.attribution] || "—";
    var docLink = el.querySelector(".doc-link");
    docLink.setAttribute("href", "#" + d.anchor);
    docLink.textContent = docId;
    var line = el.querySelector(".line");
    if (c[C.line] === null || c[C.line] === undefined) {
      remove(line);
    } else {
      var lineLink = line.querySelector("a");
      lineLink.setAttribute("href", "#" + c[C.claim_id]);
      lineLink.textContent = String(c[C.line]);
    }
    var source = el.querySelector(".source-link");
    if (d.url) {
      source.setAttribute("href", d.url);
      source.textContent = d.title || "Open the article";
    } else {
      remove(source.parentNode.parentNode);
    }
    return el;
  };

  /* The same row as the template's claim_row macro writes. */
  Data.prototype.claim = function (row) {
    var R = this.R;
    var tr = this.clone("claim");
    var cells = tr.cells;
    var docId = row[R.doc];
    function cell(td, sortKey, text) {
      td.setAttribute("data-sort", sortKey);
      td.textContent = text;
    }
    function link(td, sortKey, href, text, title) {
      td.setAttribute("data-sort", sortKey);
      var a = td.querySelector("a");
      a.setAttribute("href", "#" + href);
      if (title !== undefined) { a.setAttribute("title", title); }
      a.textContent = text;
    }
    tr.setAttribute("id", row[R.id]);
    link(cells[0], docId, this.document(docId).anchor, docId, docId);
    cell(cells[1], row[R.line], row[R.line]);
    link(cells[2], row[R.text], row[R.mark], row[R.text]);
    cell(cells[3], row[R.value], row[R.value_text]);
    cell(cells[4], row[R.low], row[R.low_text]);
    cell(cells[5], row[R.high], row[R.high_text]);
    cell(cells[6], row[R.unit], row[R.unit]);
    cell(cells[7], row[R.period_end], row[R.period]);
    cell(cells[8], row[R.attribution], row[R.attribution]);
    cell(cells[9], row[R.measure], row[R.measure]);
    var finding = row[R.finding];
    if (finding) {
      link(cells[10], finding, finding, "finding", finding);
    } else {
      cells[10].setAttribute("data-sort", "");
      remove(cells[10].querySelector("a"));
    }
    return tr;
  };

  /* Says, for print, how many of a list's items the page holds as elements. */
  /* What findings and claims page alike: keep the matching items, clamp the page to
     them, show that page's slice, and set the page label and the previous/next buttons
     (``range`` prefixes the numbers of the items shown: "rows " for claims). */
  function turnTo(pager, matching, range) {
    pager.matching = matching;
    var pages = Math.max(1, Math.ceil(matching.length / pager.size));
    pager.page = Math.min(Math.max(pager.page, 0), pages - 1);
    var first = pager.page * pager.size;
    var last = Math.min(first + pager.size, matching.length);
    pager.onPage = matching.slice(first, last);
    pager.show();
    pager.info.textContent = matching.length ?
      "Page " + (pager.page + 1) + " of " + pages + " · " + range + (first + 1) + "–" + last :
      "Page 1 of 1";
    pager.prev.disabled = pager.page === 0;
    pager.next.disabled = pager.page >= pages - 1;
  }

  function updateNote(note, rendered, total, noun) {
    if (!note) { return; }
    setHidden(note, rendered >= total);
    if (rendered < total) {
      note.textContent = "Only " + rendered + " of " + total + " " + noun +
        " had been rendered when this was printed; open the file in a browser to see them all.";
    }
  }

  /* Findings: filter, then page. Items are the findings written in the page, then those
     in the data, in the page's order; an item's element is made when first needed. */
  function Findings(data) {
    this.data = data;
    this.form = byId("filters");
    this.search = byId("search");
    this.list = byId("finding-list");
    this.count = byId("shown-count");
    this.empty = byId("empty");
    this.prev = byId("page-prev");
    this.next = byId("page-next");
    this.info = byId("page-info");
    this.note = byId("findings-more");
    this.size = pageSize(this.list, FINDINGS_PER_PAGE);
    this.page = 0;
    this.matching = [];
    this.onPage = [];
    this.current = null;
    this.byAnchor = new Map();
    var items = all("article.finding", this.list || doc).map(function (el) {
      var docs = all(".quote-card", el).map(function (card) { return card.getAttribute("data-doc"); });
      if (!docs.length) { docs = words(el.getAttribute("data-docs") || ""); }
      return {el: el, row: null, anchor: el.id, severity: el.getAttribute("data-severity"),
              kind: el.getAttribute("data-kind"), status: el.getAttribute("data-status"),
              docs: docs, text: null};
    });
    this.rendered = items.slice();
    var F = data.F;
    data.findings.forEach(function (row) {
      items.push({el: null, row: row, anchor: row[F.anchor], severity: row[F.severity],
                  kind: row[F.kind], status: row[F.status], docs: null, text: null});
    });
    var byAnchor = this.byAnchor;
    items.forEach(function (item, pos) { item.pos = pos; byAnchor.set(item.anchor, item); });
    this.items = items;
  }

  Findings.prototype.find = function (id) { return this.byAnchor.get(id) || null; };

  Findings.prototype.text = function (item) {
    if (item.text === null) {
      if (item.row) {
        item.text = String(item.row[this.data.F.message]).toLowerCase();
      } else {
        var message = item.el.querySelector(".message");
        item.text = (message ? message.textContent : "").toLowerCase();
      }
    }
    return item.text;
  };

  Findings.prototype.docs = function (item) {
    if (item.docs === null) { item.docs = this.data.findingDocs(item.row); }
    return item.docs;
  };

  Findings.prototype.checked = function (name) {
    var set = {};
    var unchecked = false;
    all("input[name='" + name + "']", this.form).forEach(function (box) {
      set[box.value] = box.checked;
      unchecked = unchecked || !box.checked;
    });
    return unchecked ? set : null;
  };

  Findings.prototype.apply = function () {
    var severity = this.checked("severity");
    var kind = this.checked("kind");
    var status = this.checked("status");
    var docs = this.checked("doc");
    var needles = words(this.search ? this.search.value : "");
    var matching = [];
    for (var i = 0; i < this.items.length; i++) {
      var item = this.items[i];
      var ok = (!severity || severity[item.severity] !== false) &&
        (!kind || kind[item.kind] !== false) &&
        (!status || status[item.status] !== false) &&
        (!needles.length || matchesAll(this.text(item), needles));
      if (ok && docs) {
        var quoted = this.docs(item);
        ok = !quoted.length || quoted.some(function (d) { return docs[d] !== false; });
      }
      item.filtered = !ok;
      if (ok) { matching.push(item); }
    }
    turnTo(this, matching, "");
    var total = this.items.length;
    this.count.textContent = matching.length + " of " + plural(total, "finding", "findings") + " shown";
    setHidden(this.empty, matching.length > 0);
    if (this.current && this.current.hidden) { this.setCurrent(null); }
  };

  /* Render the page's findings, show them and hide every other rendered one. */
  Findings.prototype.show = function () {
    var data = this.data;
    showPaged(this.items, this.onPage, this.list, function (row) { return data.finding(row); },
              this.rendered, this.note, "findings");
  };

  /* Every finding as an element, e.g. for print (which shows them all). */
  Findings.prototype.renderAll = function () {
    var data = this.data;
    if (renderEvery(this.items, this.list, function (row) { return data.finding(row); },
                    this.rendered)) {
      this.show();
    }
  };

  Findings.prototype.goPage = function (delta) {
    var pages = Math.max(1, Math.ceil(this.matching.length / this.size));
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
  Findings.prototype.reveal = function (item) {
    if (item.filtered) { this.reset(); }
    var index = this.matching.indexOf(item);
    if (index >= 0) {
      this.page = Math.floor(index / this.size);
      this.apply();
    }
    this.setCurrent(item.el);
  };

  Findings.prototype.visible = function () {
    return this.onPage.map(function (item) { return item.el; });
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

  /* The claims table: sort by a column, filter by text, then page. Rows are those written
     in the page, then those in the data; a row's element is made when first needed. */
  function Claims(data) {
    this.data = data;
    this.table = byId("claims");
    this.body = this.table ? this.table.tBodies[0] : null;
    this.search = byId("claim-search");
    this.count = byId("claims-count");
    this.empty = byId("claims-empty");
    this.prev = byId("claims-prev");
    this.next = byId("claims-next");
    this.info = byId("claims-info");
    this.note = byId("claims-more");
    this.size = pageSize(this.table, CLAIMS_PER_PAGE);
    this.page = 0;
    this.index = new Map();
    var rows = this.body ? all("tr.claim", this.body).map(function (tr) {
      return {el: tr, row: null, id: tr.id, text: null, filtered: false};
    }) : [];
    this.rendered = rows.slice();
    var R = data.R;
    data.claims.forEach(function (row) {
      rows.push({el: null, row: row, id: row[R.id], text: null, filtered: false});
    });
    var index = this.index;
    rows.forEach(function (row, pos) { row.pos = pos; row.index = pos; index.set(row.id, row); });
    this.rows = rows;
    this.matching = rows;
    this.onPage = [];
  }

  Claims.prototype.find = function (id) { return this.index.get(id) || null; };

  Claims.prototype.text = function (row) {
    if (row.text === null) {
      if (row.row) {
        var r = row.row;
        var R = this.data.R;
        row.text = [r[R.doc], r[R.line], r[R.text], r[R.value_text], r[R.low_text],
                    r[R.high_text], r[R.unit], r[R.period], r[R.attribution], r[R.measure],
                    r[R.finding] ? "finding" : ""].join("\n").toLowerCase();
      } else {
        row.text = row.el.textContent.toLowerCase();
      }
    }
    return row.text;
  };

  Claims.prototype.apply = function () {
    var needles = words(this.search ? this.search.value : "");
    var matching = [];
    for (var i = 0; i < this.rows.length; i++) {
      var row = this.rows[i];
      row.filtered = needles.length > 0 && !matchesAll(this.text(row), needles);
      if (!row.filtered) { matching.push(row); }
    }
    turnTo(this, matching, "rows ");
    this.count.textContent = matching.length + " of " + plural(this.rows.length, "claim", "claims") + " shown";
    setHidden(this.empty, this.rows.length > 0 && matching.length > 0);
  };

  Claims.prototype.show = function () {
    var data = this.data;
    showPaged(this.rows, this.onPage, this.body, function (row) { return data.claim(row); },
              this.rendered, this.note, "claims");
  };

  Claims.prototype.renderAll = function () {
    var data = this.data;
    if (renderEvery(this.rows, this.body, function (row) { return data.claim(row); },
                    this.rendered)) {
      this.show();
    }
  };

  /* A column's sort key: the data-sort of a written row's cell, or the data row's field of
     the name the column's button gives. */
  Claims.prototype.sort = function (button) {
    var th = button.closest("th");
    var column = th.cellIndex;
    var field = this.data.R[button.getAttribute("data-sort-key")];
    var numeric = button.getAttribute("data-sort-type") === "number";
    var descending = th.getAttribute("aria-sort") === "ascending";
    all("th[aria-sort]", this.table).forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});
    var keyed = this.rows.map(function (row) {
      var raw;
      if (row.row) {
        raw = field === undefined ? "" : String(row.row[field] === null ? "" : row.row[field]);
      } else {
        raw = row.el.cells[column] ? row.el.cells[column].getAttribute("data-sort") || "" : "";
      }
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
    this.rows = keyed.map(function (k, pos) { k.row.pos = pos; return k.row; });
    /* Reorder and re-page the rows while their tbody is out of the table: moving tens of
       thousands of rows inside a live table is quadratic in some engines. */
    var body = this.body;
    var marker = body.nextSibling;
    this.table.removeChild(body);
    var fragment = doc.createDocumentFragment();
    this.rows.forEach(function (row) { if (row.el) { fragment.appendChild(row.el); } });
    body.appendChild(fragment);
    this.page = 0;
    this.apply();
    this.table.insertBefore(body, marker);
  };

  Claims.prototype.reveal = function (row) {
    if (row.filtered && this.search) { this.search.value = ""; this.apply(); }
    var index = this.matching.indexOf(row);
    if (index >= 0) { this.page = Math.floor(index / this.size); this.apply(); }
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
    var data = new Data();
    var findings = new Findings(data);
    var claims = new Claims(data);
    var help = new Help();
    if (findings.form && findings.count) { findings.bind(); findings.apply(); }
    if (claims.body && claims.count) { claims.bind(); claims.apply(); }
    help.bind();
    doc.documentElement.classList.add("ready");

    /* Print shows every finding and claim, whatever the page or filters on screen: render
       those still only in the data first. */
    window.addEventListener("beforeprint", function () {
      findings.renderAll();
      claims.renderAll();
    });

    /* Links to a finding or claim hidden by a filter or a page, or not rendered yet, bring
       it into view first. */
    function reveal(id) {
      if (!id) { return null; }
      var item = findings.find(id);
      if (item) { findings.reveal(item); return item.el; }
      var row = claims.find(id);
      if (row) { claims.reveal(row); return row.el; }
      return byId(id);
    }
    function hashId() {
      try { return decodeURIComponent(window.location.hash.slice(1)); }
      catch (e) { return window.location.hash.slice(1); }
    }
    /* An element rendered after the browser looked for the URL's target: look again, so
       that it scrolls there and :target matches. */
    var retargeted = null;
    function retarget(el) {
      if (el && el !== retargeted && el.id && doc.querySelector(":target") !== el) {
        retargeted = el;
        window.location.replace("#" + el.id);
      }
    }
    doc.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
      var el = link ? reveal(link.getAttribute("href").slice(1)) : null;
      if (el) { window.requestAnimationFrame(function () { settle(el); }); }
    }, true);
    window.addEventListener("hashchange", function () {
      var el = reveal(hashId());
      if (el) { retarget(el); settle(el); }
    });
    if (window.location.hash) {
      var target = reveal(hashId());
      if (target) { retarget(target); settle(target); }
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
