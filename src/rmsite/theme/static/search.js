/* rmsite: site search in the browser, over search/index.json (built with the site).
   Forms marked data-search get results as you type: Down moves into the results,
   Up and Down move between them, Escape goes back to the box. Submitting the form
   opens the search page, which lists every result; without JavaScript that page
   lists the guides instead. The tokeniser must match rmsite/search.py's. A query word that
   finds nothing, not even as the start of a word, is looked for again with one typo. */
(function () {
  "use strict";
  var POPUP_RESULTS = 8, PAGE_RESULTS = 50, PREFIX_WEIGHT = 0.6, MAX_EXPANSIONS = 64;
  var TYPO_WEIGHT = 0.5, TYPO_MIN_LENGTH = 4; // shorter words are one letter away from too many others
  var KIND = {guide: "Guide", cohort: "Cohort", pair: "Pair"};

  function fold(text) {
    return text.normalize("NFKD").toLowerCase().replace(/\p{M}/gu, "");
  }

  function stem(word) {
    if (word.length > 4 && /ies$/.test(word)) return word.slice(0, -3) + "y";
    if (word.length > 4 && /sses$/.test(word)) return word.slice(0, -2);
    if (word.length > 3 && /s$/.test(word) && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
    return word;
  }

  function tokens(text, stop) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(function (word) {
      return word && !(stop && stop.has(word));
    }).map(stem);
  }

  var loading = {};
  function fromScript(address) {
    /* opened from disk, a page cannot fetch search/index.json; the build also wrote it as
       search/index.js (with directory_urls: false), which a script tag may load */
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = address.replace(/\.json$/, ".js");
      script.onload = function () { window.rmsiteSearchIndex ? resolve(window.rmsiteSearchIndex) : reject(new Error("empty")); };
      script.onerror = function () { script.remove(); reject(new Error("not found")); };
      document.head.appendChild(script);
    });
  }
  function load(address) {
    if (!loading[address]) {
      var data = window.location.protocol === "file:" ? fromScript(address) : fetch(address, {cache: "no-cache"}).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
      loading[address] = data.then(function (data) {
        return {docs: data.docs, terms: data.terms, keys: Object.keys(data.terms).sort(), stop: new Set(data.stop)};
      });
      loading[address].catch(function () { delete loading[address]; }); // try again next time
    }
    return loading[address];
  }

  function firstAtOrAfter(keys, word) {
    var low = 0, high = keys.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (keys[middle] < word) low = middle + 1; else high = middle;
    }
    return low;
  }

  /* The index terms a query word finds: itself, and the words it begins; when there are
     none, the words one typo away from it. */
  function matching(index, word) {
    var found = [];
    if (Object.prototype.hasOwnProperty.call(index.terms, word)) found.push([word, 1]);
    if (word.length < 2) return found;
    for (var i = firstAtOrAfter(index.keys, word); i < index.keys.length && found.length < MAX_EXPANSIONS; i++) {
      var key = index.keys[i];
      if (key.lastIndexOf(word, 0) !== 0) break;
      if (key !== word) found.push([key, PREFIX_WEIGHT]);
    }
    return found.length ? found : oneTypoAway(index, word).map(function (key) { return [key, TYPO_WEIGHT, true]; });
  }

  /* Whether two different words are one typo apart: a letter left out, added or changed, or
     two letters next to each other swapped (compared as UTF-16 units, which never matches
     more than that; a letter outside the BMP is merely not corrected). */
  function oneTypo(a, b) {
    var i = 0, short = Math.min(a.length, b.length);
    while (i < short && a.charCodeAt(i) === b.charCodeAt(i)) i++;
    if (a.length !== b.length) return a.length < b.length ? sameFrom(a, i, b, i + 1) : sameFrom(a, i + 1, b, i);
    return sameFrom(a, i + 1, b, i + 1) ||
      (a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i) && sameFrom(a, i + 2, b, i + 2));
  }

  /* Whether a from i on is b from j on (without making either string). */
  function sameFrom(a, i, b, j) {
    if (a.length - i !== b.length - j) return false;
    for (; i < a.length; i++, j++) if (a.charCodeAt(i) !== b.charCodeAt(j)) return false;
    return true;
  }

  /* The index terms one typo away from a word of at least TYPO_MIN_LENGTH letters and no
     digits (a year or a number is never "corrected" to another). The terms are grouped by
     length once, so only those one letter shorter, as long or one longer are compared. */
  function oneTypoAway(index, word) {
    if (word.length < TYPO_MIN_LENGTH || /\p{N}/u.test(word)) return [];
    if (!index.byLength) {
      index.byLength = {};
      index.keys.forEach(function (key) { (index.byLength[key.length] = index.byLength[key.length] || []).push(key); });
    }
    var found = [];
    for (var length = word.length - 1; length <= word.length + 1; length++) {
      var keys = index.byLength[length] || [];
      for (var i = 0; i < keys.length && found.length < MAX_EXPANSIONS; i++) {
        if (keys[i] !== word && oneTypo(word, keys[i])) found.push(keys[i]);
      }
    }
    return found;
  }

  /* How much a term says about a document: rarer terms more (BM25's idf). */
  function rarity(index, term) {
    var having = index.terms[term].length / 2, total = index.docs.length;
    return Math.log(1 + (total - having + 0.5) / (having + 0.5));
  }

  /* Documents ranked: those matching every query word first, by summed score. */
  function search(index, query) {
    var words = tokens(query, index.stop);
    if (!words.length) words = tokens(query, null); // a query made only of common words
    var scores = new Map(), hits = new Map(), typos = [];
    words.forEach(function (word) {
      var best = new Map();
      matching(index, word).forEach(function (match) {
        if (match[2]) typos.push(match[0]);
        var list = index.terms[match[0]], doc = 0, weight = match[1] * rarity(index, match[0]);
        for (var j = 0; j < list.length; j += 2) { // [gap, score, gap, score, ...]
          var score = list[j + 1] * weight;
          doc += list[j];
          if (!(best.get(doc) >= score)) best.set(doc, score);
        }
      });
      best.forEach(function (score, doc) {
        scores.set(doc, (scores.get(doc) || 0) + score);
        hits.set(doc, (hits.get(doc) || 0) + 1);
      });
    });
    var results = [];
    scores.forEach(function (score, doc) { results.push({doc: doc, score: score, hits: hits.get(doc)}); });
    var complete = results.filter(function (r) { return r.hits === words.length; });
    if (complete.length) results = complete;
    results.sort(function (a, b) { return b.hits - a.hits || b.score - a.score || a.doc - b.doc; });
    return {words: words, results: results, typos: typos}; // typos: the terms found in place of misspelt words
  }

  /* The first heading of a guide that holds a query word, to link to it directly. */
  function matchedHeading(headings, words) {
    for (var i = 0; i < headings.length; i++) {
      var heading = tokens(headings[i][1], null);
      for (var j = 0; j < words.length; j++) {
        for (var k = 0; k < heading.length; k++) {
          if (heading[k].lastIndexOf(words[j], 0) === 0) return headings[i];
        }
      }
    }
    return null;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function resultItem(index, result, words, root) {
    var doc = index.docs[result.doc]; // [url, title, kind, context, snippet, headings]
    var item = element("li", "search-result");
    var link = element("a", "search-result-link");
    link.href = root + doc[0];
    link.appendChild(element("span", "search-result-title", doc[1]));
    link.appendChild(element("span", "search-result-kind", [KIND[doc[2]] || doc[2], doc[3]].filter(Boolean).join(" · ")));
    if (doc[4]) link.appendChild(element("span", "search-result-snippet", doc[4]));
    item.appendChild(link);
    var heading = doc[2] === "guide" ? matchedHeading(doc[5], words) : null;
    if (heading) {
      var section = element("a", "search-result-section", heading[1]);
      section.href = root + doc[0] + "#" + heading[0];
      section.setAttribute("aria-label", heading[1] + " (section of " + doc[1] + ")");
      item.appendChild(section);
    }
    return item;
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function enhance(form) {
    var input = form.querySelector("input[type=search]");
    var status = form.querySelector("[data-search-status]");
    var list = form.querySelector("[data-search-results]");
    var panel = form.querySelector("[data-search-panel]");
    var onPage = form.hasAttribute("data-search-page");
    var root = form.getAttribute("data-root").replace(/index\.html$/, "");  // the site root: "../" either way
    var limit = onPage ? PAGE_RESULTS : POPUP_RESULTS;
    var timer = null;

    function links() {
      return Array.prototype.slice.call(list.querySelectorAll("a"));
    }

    function close() {
      if (!onPage) panel.hidden = true;
    }

    function show(query) {
      query = query.trim();
      if (!query) {
        list.textContent = "";
        status.textContent = "";
        close();
        return;
      }
      load(form.getAttribute("data-index")).then(function (index) {
        if (query !== input.value.trim()) return; // typed on meanwhile
        var found = search(index, query);
        list.textContent = "";
        found.results.slice(0, limit).forEach(function (result) {
          list.appendChild(resultItem(index, result, found.words.concat(found.typos), root));
        });
        if (!onPage && found.results.length > limit) {
          var more = element("li", "search-more");
          var all = element("a", "", "All " + found.results.length + " results");
          all.href = form.action + "?q=" + encodeURIComponent(query);
          more.appendChild(all);
          list.appendChild(more);
        }
        status.textContent = found.results.length
          ? plural(found.results.length, "result") + " for “" + query + "”" + (onPage ? "" : ": press Down to reach them")
          : "No results for “" + query + "”";
        panel.hidden = false;
      }, function () {
        var message = "Search could not be loaded" + (window.location.protocol === "file:"
          ? ": opened from disk, it needs the site built with directory_urls: false (or served over HTTP)."
          : ". Try again later.");
        status.textContent = message;  // said once: in the results when the status line is not shown
        list.textContent = "";
        if (status.classList.contains("visually-hidden")) list.appendChild(element("li", "search-failed", message));
        panel.hidden = !list.childNodes.length;
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { show(input.value); }, 60);
    });
    input.addEventListener("focus", function () {
      load(form.getAttribute("data-index")).catch(function () {}); // fetch it while the reader types
    });
    input.addEventListener("click", function () {
      if (panel.hidden && input.value.trim()) show(input.value);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && panel.hidden && input.value.trim()) {
        event.preventDefault();
        show(input.value);
      } else if (event.key === "ArrowDown" && links().length) {
        event.preventDefault();
        links()[0].focus();
      } else if (event.key === "Escape" && !panel.hidden && !onPage) {
        event.preventDefault();
        close();
      }
    });
    list.addEventListener("keydown", function (event) {
      var all = links(), at = all.indexOf(document.activeElement);
      if (at < 0) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var next = at + (event.key === "ArrowDown" ? 1 : -1);
        if (next < 0) input.focus(); else if (next < all.length) all[next].focus();
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
        input.focus();
      }
    });
    form.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !form.contains(event.relatedTarget)) close();
    });
    document.addEventListener("pointerdown", function (event) {
      if (!form.contains(event.target)) close();
    });
    if (onPage) {
      var query = new URLSearchParams(window.location.search).get("q") || "";
      var fallback = document.querySelector("[data-search-fallback]");
      input.value = query;
      if (query) {
        if (fallback) fallback.hidden = true;
        show(query);
      }
      input.addEventListener("input", function () {
        if (fallback) fallback.hidden = !!input.value.trim();
      });
    }
  }

  function start() {
    var forms = document.querySelectorAll("form[data-search]");
    Array.prototype.forEach.call(forms, enhance);
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      var box = document.querySelector("form[data-search] input[type=search]");
      if (box) {
        event.preventDefault();
        box.focus();
      }
    });
  }

  window.rmsiteSearch = {tokens: tokens, search: search, load: load}; // for tests and custom templates
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
