// Search page: our own UI over Pagefind's JS API (pagefind.js), no dependencies.
//
// The index holds pre-segmented text (newsarchive/searchtext.py): traditional
// characters folded to simplified, Han runs cut into overlapping bigrams. The
// query goes through the same fold and tokens here, so both sides always agree.
// Every result is then checked against the article's real text (the `text`
// meta) so only pages that contain each query word are shown, with the words
// highlighted in the text as printed, traditional or simplified.
(function () {
  "use strict";
  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var TOKEN = new RegExp("[" + HAN + "]+|[0-9a-z]+(?:\\.[0-9]+)*", "g");
  var IS_HAN = new RegExp("^[" + HAN + "]");
  var PAGE_SIZE = 10;
  var foldMap = {};

  // Same as searchtext.fold: one character for one character, so offsets agree.
  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var ch = text[i], code = ch.charCodeAt(0);
      if (foldMap[ch]) ch = foldMap[ch];
      else if (code >= 0xff01 && code <= 0xff5e) ch = String.fromCharCode(code - 0xfee0);
      else if (code === 0x130) ch = "i"; // İ: its lower case is two characters
      out += ch;
    }
    return out.toLowerCase();
  }

  // Same as searchtext.tokens(query=True): Han bigrams (a lone character stays), words.
  function tokens(folded) {
    var out = [], m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(folded)) !== null) {
      var run = m[0];
      if (!IS_HAN.test(run) || run.length === 1) { out.push(run); continue; }
      for (var i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
    }
    return out;
  }

  function termsOf(query) {
    return query.split(/\s+/).map(fold).filter(function (t) { return tokens(t).length > 0; });
  }

  function containsAll(text, terms) {
    var folded = fold(text);
    return terms.every(function (t) { return folded.indexOf(t) >= 0; });
  }

  var UNDATED = "未知";

  // The index is split into shards by period (see newsarchive/search.py); the
  // first shard's pagefind.js is the engine and the others are merged into it.
  function Engine(base) {
    var self = this;
    this.base = base;
    this.split = {};
    this.ready = Promise.all([
      fetch(base + "pagefind/shards.json").then(function (r) { return r.json(); }),
      fetch(base + "pagefind/fold.json").then(function (r) { return r.json(); }).then(function (pairs) {
        for (var i = 0; i + 1 < pairs.length; i += 2) foldMap[pairs[i]] = pairs[i + 1];
      })
    ]).then(function (all) {
      var shards = all[0].shards || [], seen = {};
      shards.forEach(function (s) {
        s.periods.forEach(function (p) { if (seen[p]) self.split[p] = true; seen[p] = true; });
      });
      if (!shards.length) return null;
      function bundle(s) { return base + "pagefind/shards/" + s.key + "/"; }
      return import(bundle(shards[0]) + "pagefind.js").then(function (pf) {
        return pf.options({ baseUrl: base }).then(function () {
          return Promise.all(shards.slice(1).map(function (s) { return pf.mergeIndex(bundle(s)); }));
        }).then(function () { return pf; });
      });
    });
  }

  function loaded(d) { return { data: function () { return Promise.resolve(d); } }; }

  // Verified results, n at a time, from a source that yields candidate batches.
  function pager(terms, total, source) {
    var queue = [], exhausted = false;
    function fill() {
      if (queue.length || exhausted) return Promise.resolve();
      return source().then(function (batch) {
        if (batch === null) exhausted = true; else queue = batch;
        return fill();
      });
    }
    function next(n) {
      var found = [];
      function step() {
        if (found.length >= n) return Promise.resolve(found);
        return fill().then(function () {
          if (!queue.length) return found;
          var batch = queue.splice(0, n - found.length);
          return Promise.all(batch.map(function (r) { return r.data(); })).then(function (datas) {
            datas.forEach(function (d) { if (containsAll(d.meta.text || "", terms)) found.push(d); });
            return step();
          });
        });
      }
      return step();
    }
    return { terms: terms, total: total, next: next, done: function () { return exhausted && !queue.length; } };
  }

  // Runs a query; returns {terms, total, next(n)} where next() yields verified results.
  // By relevance: one search over all shards. By date: Pagefind's merged results are
  // ordered by score, so ask one period at a time (each lives in one shard, whose own
  // order is kept), newest or oldest period first, undated last.
  Engine.prototype.search = function (query, opts) {
    var terms = termsOf(query), split = this.split;
    var q = terms.map(function (t) { return tokens(t).join(" "); }).join(" ");
    var filters = opts.filters || {}, dir = opts.sort && opts.sort.date;
    return this.ready.then(function (pf) {
      if (!pf || !terms.length) return pager(terms, 0, function () { return Promise.resolve(null); });
      return pf.search(q, { filters: filters }).then(function (res) {
        var raw = res.results;
        if (!dir) {
          var given = false;
          return pager(terms, raw.length, function () {
            if (given) return Promise.resolve(null);
            given = true;
            return Promise.resolve(raw);
          });
        }
        var counts = (res.filters && res.filters.period) || {};
        var periods = Object.keys(counts).filter(function (p) { return counts[p] > 0 && p !== UNDATED; }).sort();
        if (dir === "desc") periods.reverse();
        if (counts[UNDATED]) periods.push(UNDATED);
        var i = 0;
        return pager(terms, raw.length, function () {
          if (i >= periods.length) return Promise.resolve(null);
          var period = periods[i++], f = {};
          Object.keys(filters).forEach(function (k) { f[k] = filters[k]; });
          f.period = [period];
          return pf.search(q, { filters: f, sort: { date: dir } }).then(function (r) {
            if (!split[period]) return r.results;
            // A period too big for one shard: order its results by their date here.
            return Promise.all(r.results.map(function (x) { return x.data(); })).then(function (ds) {
              ds.sort(function (a, b) {
                var x = a.meta.sortdate || "", y = b.meta.sortdate || "";
                return dir === "desc" ? (x < y ? 1 : x > y ? -1 : 0) : (x < y ? -1 : x > y ? 1 : 0);
              });
              return ds.map(loaded);
            });
          });
        });
      });
    });
  };

  function esc(s) {
    return s.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  // Excerpt of the real text around the first match, every term marked.
  function excerpt(text, terms) {
    text = text.replace(/\s+/g, " ");
    var folded = fold(text), first = folded.length;
    terms.forEach(function (t) { var i = folded.indexOf(t); if (i >= 0 && i < first) first = i; });
    if (first === folded.length) first = 0;
    var start = Math.max(0, first - 30), end = Math.min(text.length, first + 90);
    var marks = [];
    terms.forEach(function (t) {
      for (var i = folded.indexOf(t, start); i >= 0 && i < end; i = folded.indexOf(t, i + t.length)) {
        marks.push([i, Math.min(end, i + t.length)]);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var html = start > 0 ? "…" : "", at = start;
    marks.forEach(function (m) {
      if (m[0] < at) return;
      html += esc(text.slice(at, m[0])) + "<mark>" + esc(text.slice(m[0], m[1])) + "</mark>";
      at = m[1];
    });
    html += esc(text.slice(at, end)) + (end < text.length ? "…" : "");
    return html;
  }

  // Link to the article that highlights the first match: ?highlight= and a text fragment.
  function resultUrl(d, terms) {
    var text = d.meta.text || "", folded = fold(text), url = d.url;
    var i = terms.length ? folded.indexOf(terms[0]) : -1;
    url += (url.indexOf("?") >= 0 ? "&" : "?") + "highlight=" + encodeURIComponent(terms.join(" "));
    if (i >= 0) {
      var orig = text.slice(i, i + terms[0].length);
      url += "#:~:text=" + encodeURIComponent(orig).replace(/-/g, "%2D");
    }
    return url;
  }

  var FILTERS = [["topic", "专题"], ["newspaper", "报纸"], ["year", "年份"], ["kind", "类型"]];

  function ui(root) {
    var base = root.getAttribute("data-base") || "/";
    var engine = new Engine(base);
    var params = new URLSearchParams(window.location.search);
    root.innerHTML =
      '<form class="search-form" role="search">' +
      '<label for="search-q">检索词</label> ' +
      '<input id="search-q" name="q" type="search" autocomplete="off" placeholder="多个词语用空格分开"> ' +
      '<button type="submit">检索</button>' +
      '<fieldset class="search-filters"><legend>筛选与排序</legend>' +
      FILTERS.map(function (f) {
        return '<label>' + f[1] + ' <select name="' + f[0] + '"><option value="">全部</option></select></label> ';
      }).join("") +
      '<label>排序 <select name="sort"><option value="">按相关度</option>' +
      '<option value="desc">日期从新到旧</option><option value="asc">日期从旧到新</option></select></label>' +
      '</fieldset></form>' +
      '<p class="search-status" role="status" aria-live="polite"></p>' +
      '<ol class="search-results"></ol>' +
      '<button type="button" class="search-more" hidden>显示更多结果</button>';
    var form = root.querySelector("form"), input = form.elements.q;
    var status = root.querySelector(".search-status"), list = root.querySelector(".search-results");
    var more = root.querySelector(".search-more");
    input.value = params.get("q") || "";
    form.elements.sort.value = params.get("sort") || "";
    var current = null, serial = 0;

    engine.ready.then(function (pf) { return pf ? pf.filters() : {}; }).then(function (all) {
      FILTERS.forEach(function (f) {
        var select = form.elements[f[0]], values = Object.keys(all[f[0]] || {}).sort();
        if (f[0] === "year") values.reverse();
        values.forEach(function (v) {
          var o = document.createElement("option");
          o.value = v; o.textContent = v + "（" + all[f[0]][v] + "）";
          select.appendChild(o);
        });
        select.value = params.get(f[0]) || "";
      });
      if (input.value.trim()) run();
    }).catch(function () { status.textContent = "检索索引加载失败。"; });

    function options() {
      var filters = {}, sort = {};
      FILTERS.forEach(function (f) { var v = form.elements[f[0]].value; if (v) filters[f[0]] = [v]; });
      if (form.elements.sort.value) sort.date = form.elements.sort.value;
      return { filters: filters, sort: sort };
    }

    function syncUrl() {
      var p = new URLSearchParams();
      if (input.value.trim()) p.set("q", input.value.trim());
      FILTERS.concat([["sort"]]).forEach(function (f) { var v = form.elements[f[0]].value; if (v) p.set(f[0], v); });
      history.replaceState(null, "", window.location.pathname + (p.toString() ? "?" + p : ""));
    }

    function render(results, terms) {
      results.forEach(function (d) {
        var li = document.createElement("li");
        li.className = "search-result";
        li.innerHTML =
          '<h2 class="search-result-title"><a href="' + esc(resultUrl(d, terms)) + '">' + esc(d.meta.title || d.url) + "</a></h2>" +
          '<p class="search-result-meta">' + esc(d.meta.date || "日期不详") + " · " + esc(d.meta.newspaper || "") + "</p>" +
          '<p class="search-result-excerpt">' + excerpt(d.meta.text || "", terms) + "</p>";
        list.appendChild(li);
      });
    }

    function run() {
      syncUrl();
      var query = input.value.trim(), mine = ++serial;
      list.innerHTML = "";
      more.hidden = true;
      if (!query) { status.textContent = ""; return; }
      status.textContent = "正在检索“" + query + "”……";
      engine.search(query, options()).then(function (s) {
        if (mine !== serial) return;
        current = s;
        return s.next(PAGE_SIZE).then(function (found) {
          if (mine !== serial) return;
          render(found, s.terms);
          var shown = list.children.length;
          status.textContent = shown === 0 ? "没有找到包含“" + query + "”的文章。"
            : s.done() ? "找到 " + shown + " 篇包含“" + query + "”的文章。"
            : "找到 " + shown + " 篇以上包含“" + query + "”的文章（候选 " + s.total + " 篇）。";
          more.hidden = s.done();
        });
      });
    }

    var timer = null;
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 350); });
    form.addEventListener("change", function (e) { if (e.target !== input) run(); });
    more.addEventListener("click", function () {
      if (!current) return;
      var mine = serial, first = list.children.length;
      current.next(PAGE_SIZE).then(function (found) {
        if (mine !== serial) return;
        render(found, current.terms);
        var shown = list.children.length;
        status.textContent = "已显示 " + shown + " 篇" + (current.done() ? "，没有更多了。" : "。");
        more.hidden = current.done();
        var link = list.children[first] && list.children[first].querySelector("a");
        if (link) link.focus();
      });
    });
  }

  window.newsSearch = { fold: fold, tokens: tokens, termsOf: termsOf, Engine: Engine, excerpt: excerpt };
  var root = document.getElementById("search");
  if (root) ui(root);
})();
