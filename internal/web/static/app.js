// Kechuang pages: small progressive enhancements. Every form works without
// this file; it draws the charts, keeps the contract form tidy and shows
// 技术交易额 as the user types (exact, in BigInt fen, like the server).
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // ---- messages ----------------------------------------------------------
  // The layout carries, in the page's language, the catalogue entries this
  // file asks t() for (web.jsMessages finds its calls in this file).
  var LANG = document.documentElement.lang, EN = LANG === "en", MSGS = null;
  function t(id) {
    if (MSGS === null) {
      try { MSGS = JSON.parse(document.getElementById("kc-msgs").textContent) || {}; } catch (e) { MSGS = {}; }
    }
    var args = Array.prototype.slice.call(arguments, 1);
    return (MSGS[id] || id).replace(/%[sd]/g, function () { return args.length ? String(args.shift()) : ""; });
  }

  // ---- money, exact ----------------------------------------------------
  function parseFen(s) {
    s = String(s || "").trim().replace(/[\uFF10-\uFF19\uFF0E]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
    }).replace(/[,，\s]|元$/g, "");
    if (!/^(\d+(\.\d{1,2})?|\.\d{1,2})$/.test(s)) return null;
    var parts = s.split("."), frac = (parts[1] || "").padEnd(2, "0");
    return BigInt(parts[0] || "0") * 100n + BigInt(frac);
  }
  function formatFen(fen) {
    var neg = fen < 0n; if (neg) fen = -fen;
    var y = (fen / 100n).toString(), f = (fen % 100n).toString().padStart(2, "0");
    var n = (neg ? "-" : "") + y.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + f;
    return EN ? "CNY " + n : n + "元";
  }

  // ---- contract form ---------------------------------------------------
  function setupParty(fs) {
    var p = fs.getAttribute("data-party");
    function sync() {
      var ext = fs.querySelector('input[name="' + p + '_mode"][value="external"]').checked;
      fs.querySelector(".mode-org").hidden = ext;
      fs.querySelector(".mode-external").hidden = !ext;
    }
    fs.querySelectorAll('input[name="' + p + '_mode"]').forEach(function (r) { r.addEventListener("change", sync); });
    sync();
  }
  function setupOrgFilter(input) {
    var sel = document.getElementById(input.getAttribute("data-for"));
    if (!sel) return;
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      sel.querySelectorAll("option").forEach(function (o) {
        if (!o.value) return;
        o.hidden = q !== "" && o.textContent.toLowerCase().indexOf(q) < 0;
      });
      sel.querySelectorAll("optgroup").forEach(function (g) {
        g.hidden = !Array.prototype.some.call(g.children, function (o) { return !o.hidden; });
      });
    });
  }
  function recompute(form) {
    var turnover = parseFen(form.querySelector("#turnover_yuan").value);
    var deducted = 0n, ok = true, flag = false;
    form.querySelectorAll("#cost-rows .cost-row").forEach(function (tr) {
      var kind = tr.querySelector('[name="cost_kind"]').value;
      var priceS = tr.querySelector('[name="cost_price"]').value, qtyS = tr.querySelector('[name="cost_qty"]').value;
      var desc = tr.querySelector('[name="cost_desc"]').value.trim();
      var cell = tr.querySelector(".cost-amount");
      if (!priceS.trim() && !qtyS.trim() && !desc) { cell.textContent = ""; return; }
      var price = parseFen(priceS), qty = /^\d+$/.test(qtyS.trim()) ? BigInt(qtyS.trim()) : null;
      if (price === null || qty === null || qty <= 0n) { cell.textContent = "—"; ok = false; return; }
      cell.textContent = formatFen(price * qty);
      if (kind === "prototype") {
        if (qty > 2n) { flag = true; deducted += price * (qty - 2n); }
      } else {
        deducted += price * qty;
      }
    });
    var $ = function (id) { return document.getElementById(id); };
    $("c-turnover").textContent = turnover !== null ? formatFen(turnover) : "—";
    $("c-deducted").textContent = ok ? formatFen(deducted) : "—";
    if (turnover !== null && ok) {
      var tech = turnover - deducted;
      $("c-tech").textContent = tech >= 0n ? formatFen(tech) : t("非技术性费用超过成交额");
      $("c-tech").classList.toggle("text-red", tech < 0n);
    } else {
      $("c-tech").textContent = "—";
    }
    $("c-flag").hidden = !flag;
  }
  function setupContractForm(form) {
    form.querySelectorAll("fieldset.party[data-party]").forEach(setupParty);
    form.querySelectorAll(".org-filter").forEach(setupOrgFilter);
    var rows = form.querySelector("#cost-rows"), tpl = document.getElementById("cost-row-tpl");
    document.getElementById("cost-add").addEventListener("click", function () {
      rows.appendChild(tpl.content.cloneNode(true));
      rows.lastElementChild.querySelector("input").focus();
    });
    rows.addEventListener("click", function (e) {
      var btn = e.target.closest(".cost-remove");
      if (!btn) return;
      var tr = btn.closest("tr"), next = tr.nextElementSibling;
      if (next && next.classList.contains("cost-error")) next.remove();
      tr.remove();
      if (!rows.querySelector(".cost-row")) rows.appendChild(tpl.content.cloneNode(true));
      recompute(form);
    });
    form.addEventListener("input", function () { recompute(form); });
    form.addEventListener("change", function () { recompute(form); });
    recompute(form);
  }

  // ---- region fields: the national table ---------------------------------
  // A region field is a six-digit code that works without this file (the
  // server checks it against the table); here a search box lists regions of
  // the whole country from GET /api/v1/meta/regions, and the typed code is
  // named (or said not to exist).
  function regionsLike(query, done) {
    fetch("/api/v1/meta/regions?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (d) { done(d.items || []); }, function () { done(null); });
  }
  function setupRegionPicker(box) {
    var code = box.querySelector(".region-code"), name = box.querySelector(".region-name");
    var q = box.querySelector(".region-q"), list = box.querySelector(".region-results");
    var searchSeq = 0, nameSeq = 0, timer = null;
    box.querySelector(".region-search").hidden = false;
    function pick(r) {
      code.value = r.code;
      name.textContent = r.full_name;
      name.classList.remove("text-red");
      list.innerHTML = "";
      q.value = "";
      code.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function show(items) {
      list.innerHTML = "";
      if (!items || !items.length) {
        var none = document.createElement("li");
        none.className = "region-none";
        none.textContent = items ? t("没有匹配的行政区划") : t("检索失败，请直接填写六位代码");
        list.appendChild(none);
        return;
      }
      items.forEach(function (r) {
        var li = document.createElement("li"), b = document.createElement("button"), c = document.createElement("span");
        b.type = "button"; b.className = "region-option"; b.setAttribute("data-code", r.code);
        b.appendChild(document.createTextNode(r.full_name));
        c.className = "mono"; c.textContent = r.code;
        b.appendChild(c);
        b.addEventListener("click", function () { pick(r); code.focus(); });
        li.appendChild(b);
        list.appendChild(li);
      });
    }
    q.addEventListener("input", function () {
      clearTimeout(timer);
      var v = q.value.trim(), n = ++searchSeq;
      if (!v) { list.innerHTML = ""; return; }
      timer = setTimeout(function () { regionsLike(v, function (items) { if (n === searchSeq) show(items); }); }, 200);
    });
    q.addEventListener("keydown", function (e) {
      if (e.key !== "Enter") return;
      e.preventDefault(); // never submits the form
      var first = list.querySelector(".region-option");
      if (first) first.click();
    });
    function nameCode() {
      var v = code.value.trim(), n = ++nameSeq;
      if (!/^\d{6}$/.test(v)) { name.textContent = ""; return; }
      regionsLike(v, function (items) {
        if (n !== nameSeq) return;
        var hit = (items || []).filter(function (r) { return r.code === v; })[0];
        name.textContent = hit ? hit.full_name : (items ? t("行政区划代码 %s 不存在", v) : "");
        name.classList.toggle("text-red", !hit && !!items);
      });
    }
    code.addEventListener("change", nameCode);
    code.addEventListener("input", function () { if (/^\d{6}$/.test(code.value.trim())) nameCode(); });
  }

  // ---- statistics dashboard ------------------------------------------
  var palette = ["#1f6fd1", "#17a2b8", "#f0a22e", "#17864b", "#8e5cc9", "#e0564f", "#5b7083", "#c8a24a", "#2bb3a3", "#7d9bd1", "#d27dad"];
  // The charts' unit: 亿元 for zh-CN, billions for English (as the KPI tiles).
  // Display only; the tiles carry the exact numbers.
  function yi(fen) { return Math.round(fen / (EN ? 1e9 : 1e8)) / 100; }
  function charts(data) {
    var out = {};
    function make(id, option, items) {
      var el = document.getElementById(id);
      if (!el || el.getAttribute("data-empty")) return;
      if (items !== undefined && items.length === 0) {
        el.classList.add("chart-empty"); el.setAttribute("data-empty", "1");
        el.innerHTML = "<p>" + t("暂无数据") + "</p>";
        return;
      }
      var c = echarts.init(el, null, { renderer: "canvas" });
      option.color = option.color || palette;
      option.textStyle = { fontFamily: getComputedStyle(document.body).fontFamily };
      option.animationDuration = 400;
      c.setOption(option);
      out[id] = c;
    }
    var months = data.monthly.map(function (m) { return new Date(2000, m.month - 1, 1).toLocaleString(LANG, { month: "short" }); });
    var tip = { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : t("%s 亿元", v.toFixed(2)); } };
    make("chart-monthly", {
      tooltip: tip, legend: { top: 0, type: "scroll" },
      grid: { left: 50, right: 60, top: 60, bottom: 30 },
      xAxis: { type: "category", data: months },
      yAxis: [{ type: "value", name: t("当月（亿元）") }, { type: "value", name: t("累计（亿元）"), splitLine: { show: false } }],
      series: [
        { name: t("%d年当月", data.year), type: "bar", data: data.monthly.map(function (m) { return yi(m.turnover_fen); }), barMaxWidth: 28 },
        { name: t("%d年同月", data.year - 1), type: "line", data: data.monthly.map(function (m) { return yi(m.prev_turnover_fen); }), smooth: true, lineStyle: { type: "dashed" }, color: "#9aa8b8" },
        { name: t("累计"), type: "line", yAxisIndex: 1, data: data.monthly.map(function (m) { return yi(m.cumulative_turnover_fen); }), color: "#f0a22e", smooth: true }
      ]
    });
    function pie(id, list) {
      var share = {};
      list.forEach(function (k) { share[k.label] = k.share_pct; });
      function legendText(name) { return name + "  " + (share[name] || "0") + "%"; }
      make(id, {
        tooltip: { trigger: "item", formatter: function (p) { return p.name + "<br>" + t("%s 亿元（%s%）", p.value.toFixed(2), share[p.name] || "0"); } },
        // English labels are long: the legend goes below the ring, not beside it.
        legend: EN ? { bottom: 0, left: "center", itemWidth: 12, itemHeight: 12, formatter: legendText }
          : { orient: "vertical", right: 0, top: "middle", itemWidth: 12, itemHeight: 12, formatter: legendText },
        series: [{ type: "pie", radius: EN ? ["26%", "44%"] : ["38%", "62%"], center: EN ? ["50%", "36%"] : ["30%", "50%"], label: { show: false },
          emphasis: { label: { show: true, fontSize: 13, formatter: "{b}\n{d}%" } },
          data: list.map(function (k) { return { name: k.label, value: yi(k.turnover_fen) }; }) }]
      }, list);
    }
    pie("chart-category", data.by_category);
    pie("chart-seller-type", data.by_seller_type);
    function bars(id, list, color) {
      var rows = list.slice().reverse();
      make(id, {
        tooltip: tip, grid: { left: 70, right: 24, top: 10, bottom: 28 },
        xAxis: { type: "value", name: t("亿元"), nameGap: 4 },
        yAxis: { type: "category", data: rows.map(function (k) { return k.label; }), axisLabel: { fontSize: 11 } },
        series: [{ type: "bar", name: t("成交额"), data: rows.map(function (k) { return yi(k.turnover_fen); }), barMaxWidth: 14, color: color }]
      }, list);
    }
    bars("chart-district-output", data.by_output_district, "#1f6fd1");
    bars("chart-district-absorb", data.by_absorb_district, "#17864b");
    var fields = data.by_field.slice().reverse();
    make("chart-field", {
      tooltip: tip, grid: { left: 160, right: 30, top: 10, bottom: 30 },
      xAxis: { type: "value", name: t("亿元") },
      yAxis: { type: "category", data: fields.map(function (k) { return k.label; }) },
      series: [{ type: "bar", name: t("成交额"), data: fields.map(function (k) { return yi(k.turnover_fen); }), barMaxWidth: 18, color: "#114b95" }]
    }, data.by_field);
    if (data.target) {
      var p = data.target.progress_pct === null ? 0 : Number(data.target.progress_pct);
      make("chart-target", {
        series: [{ type: "gauge", startAngle: 220, endAngle: -40, min: 0, max: 100, radius: "92%", center: ["50%", "55%"],
          progress: { show: true, width: 18, roundCap: true, itemStyle: { color: p >= 100 ? "#17864b" : "#1f6fd1" } },
          axisLine: { roundCap: true, lineStyle: { width: 18, color: [[1, "#e6ebf1"]] } },
          axisTick: { show: false }, splitLine: { show: false }, pointer: { show: false },
          axisLabel: { distance: -46, color: "#8a97a8", fontSize: 11, formatter: function (v) { return v % 50 === 0 ? v + "%" : ""; } },
          title: { offsetCenter: [0, "38%"], fontSize: 13, color: "#66758a" },
          detail: { offsetCenter: [0, "-2%"], fontSize: 30, fontWeight: 700, color: "#0b3a75", formatter: function () { return data.target.progress_pct === null ? "—" : data.target.progress_pct + "%"; } },
          data: [{ value: Math.min(p, 100), name: t("已完成 %s / %s 亿元", yi(data.turnover_fen).toFixed(2), yi(data.target.turnover_fen).toFixed(2)) }] }]
      });
    }
    window.addEventListener("resize", function () { Object.keys(out).forEach(function (k) { out[k].resize(); }); });
    return out;
  }

  // ---- copy buttons (the API token on /account) --------------------------
  function setupCopy(btn) {
    btn.addEventListener("click", function () {
      var input = document.getElementById(btn.getAttribute("data-copy"));
      input.select();
      var done = function () { btn.textContent = t("已复制"); };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  }

  // ---- behaviour that was inline (the CSP allows no inline script) --------
  function setupInline() {
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
    document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
    // the demo city's accounts on the login page fill the form
    document.querySelectorAll("[data-demo-user]").forEach(function (b) {
      b.addEventListener("click", function () {
        var u = document.getElementById("username"), p = document.getElementById("password");
        if (!u || !p) return;
        u.value = b.getAttribute("data-demo-user");
        p.value = b.getAttribute("data-demo-password");
        document.getElementById("login-submit").focus();
      });
    });
  }

  // A form with data-confirm asks before it is sent (the CSP forbids inline
  // onsubmit handlers, so the question lives in the attribute).
  document.addEventListener("submit", function (e) {
    var f = e.target, q = f && f.getAttribute && f.getAttribute("data-confirm");
    if (q && !window.confirm(q)) e.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    setupInline();
    document.querySelectorAll("[data-copy]").forEach(setupCopy);
    document.querySelectorAll("[data-region-picker]").forEach(setupRegionPicker);
    var form = document.getElementById("contract-form");
    if (form) setupContractForm(form);
    var data = document.getElementById("stats-data");
    if (data && window.echarts) {
      window.kcCharts = charts(JSON.parse(data.textContent));
      document.body.setAttribute("data-charts", "ready");
    }
  });
})();
