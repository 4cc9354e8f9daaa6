/* rmsite: tick checklist items for your own reference.
   The programme's record of what is done is the cohort file, shown on the page
   without this script. This only adds checkboxes whose state is kept in this
   browser's localStorage and is never sent anywhere. */
(function () {
  "use strict";
  var PREFIX = "rmsite-checklist:";
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function storage() {
    try {
      var store = window.localStorage, probe = PREFIX + "probe";
      store.setItem(probe, "1");
      store.removeItem(probe);
      return store;
    } catch (error) {
      return null; // storage disabled or full: leave the page as it is
    }
  }

  function load(store, key) {
    try {
      var ticks = JSON.parse(store.getItem(key) || "{}");
      return ticks && typeof ticks === "object" && !Array.isArray(ticks) ? ticks : {};
    } catch (error) {
      return {};
    }
  }

  function save(store, key, ticks) {
    try {
      if (Object.keys(ticks).length) {
        store.setItem(key, JSON.stringify(ticks));
      } else {
        store.removeItem(key);
      }
    } catch (error) { /* a tick that cannot be stored is simply not remembered */ }
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
  }

  function readable(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return parts ? Number(parts[3]) + " " + MONTHS[Number(parts[2]) - 1] + " " + parts[1] : "an earlier visit";
  }

  /* Ticks are kept per site (the path of its home page) and pair, so two programmes
     published on one host keep theirs apart. Ticks saved before the site's path was part
     of the key are taken over by the first site that finds them. */
  function storageKey(list, store) {
    var root = new URL(list.getAttribute("data-site-root") || "/", window.location.href).pathname;
    var key = PREFIX + root + ":" + list.getAttribute("data-checklist");
    var older = PREFIX + list.getAttribute("data-checklist");
    try {
      if (store.getItem(key) === null && store.getItem(older) !== null) {
        store.setItem(key, store.getItem(older));
        store.removeItem(older);
      }
    } catch (error) { /* storage refused: start afresh */ }
    return key;
  }

  function enhance(list, store) {
    var key = storageKey(list, store);
    var ticks = load(store, key);
    var items = list.querySelectorAll("[data-item]");
    var open = [];
    for (var i = 0; i < items.length; i++) {
      if (items[i].getAttribute("data-state") !== "done") {
        open.push(items[i]);
      }
    }
    if (!open.length) {
      return;
    }
    var note = document.createElement("p");
    note.className = "ticks-note";
    note.id = "ticks-note-" + list.getAttribute("data-checklist").replace(/[^a-z0-9-]/g, "-");
    note.textContent = "You can tick open items for your own reference. Your ticks are kept only " +
      "in this browser and are not saved to the programme: the states shown come from the " +
      "programme's records, which your coordinator updates.";
    list.insertBefore(note, list.firstChild);
    open.forEach(function (item) {
      var id = item.getAttribute("data-item");
      var label = document.createElement("label");
      var box = document.createElement("input");
      var text = document.createElement("span");
      label.className = "my-tick";
      box.type = "checkbox";
      text.id = "tick-" + id;
      box.setAttribute("aria-labelledby", text.id + " item-" + id);
      box.setAttribute("aria-describedby", note.id);
      label.appendChild(box);
      label.appendChild(text);
      item.appendChild(label);
      function show() {
        var ticked = Object.prototype.hasOwnProperty.call(ticks, id);
        box.checked = ticked;
        item.classList.toggle("is-ticked", ticked);
        text.textContent = ticked
          ? "Ticked by you on " + readable(ticks[id]) + ": only in this browser, not saved to the programme"
          : "Tick for yourself (only in this browser)";
      }
      box.addEventListener("change", function () {
        if (box.checked) {
          ticks[id] = today();
        } else {
          delete ticks[id];
        }
        save(store, key, ticks);
        show();
      });
      show();
    });
  }

  function start() {
    var store = storage();
    if (!store) {
      return;
    }
    var lists = document.querySelectorAll("[data-checklist]");
    for (var i = 0; i < lists.length; i++) {
      enhance(lists[i], store);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
