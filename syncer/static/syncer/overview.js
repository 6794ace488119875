/* The admin's sync overview: draws the run charts (Chart.js, vendored beside this file)
   from the JSON the page embeds, and keeps the "Queued and running" table up to date by
   polling the overview's progress URL, without reloading the page. */
(function () {
    "use strict";

    var POLL_SECONDS_BUSY = 3;   // while runs are queued or running
    var POLL_SECONDS_IDLE = 15;  // otherwise: a run queued elsewhere shows up soon enough

    function tone(name) {
        return getComputedStyle(document.documentElement).getPropertyValue("--sync-" + name).trim();
    }

    // --- charts ------------------------------------------------------------------------

    function drawCharts() {
        var source = document.getElementById("overview-activity");
        if (!source || typeof Chart === "undefined") {
            return;
        }
        var data = JSON.parse(source.textContent);
        Chart.defaults.color = getComputedStyle(document.body).color;
        var common = {
            animation: false,  // drawn at once: a screenshot or a reload shows the data
            responsive: true,
            maintainAspectRatio: false,
            interaction: { mode: "index", intersect: false },
            plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        };
        function stacked(options) {
            return Object.assign({}, common, {
                scales: {
                    x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true } },
                    y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
                },
            }, options || {});
        }
        function bars(label, values, colour) {
            return { label: label, data: values, backgroundColor: colour, borderWidth: 0 };
        }
        new Chart(document.getElementById("chart-durations"), {
            type: "line",
            data: {
                labels: data.labels,
                datasets: [
                    // p50 dashed over p95: with one run in a bucket both are the same.
                    { label: "p50", data: data.p50, borderColor: tone("active"), order: 0,
                      backgroundColor: tone("active"), spanGaps: true, pointRadius: 2,
                      borderDash: [5, 4] },
                    { label: "p95", data: data.p95, borderColor: tone("attention"), order: 1,
                      backgroundColor: tone("attention"), spanGaps: true, pointRadius: 2 },
                ],
            },
            options: Object.assign({}, common, {
                scales: {
                    x: { ticks: { maxRotation: 0, autoSkip: true } },
                    y: { type: "logarithmic", title: { display: true, text: "seconds" } },
                },
            }),
        });
        new Chart(document.getElementById("chart-documents"), {
            type: "bar",
            data: {
                labels: data.labels,
                datasets: [
                    bars("upserted", data.upserted, tone("active")),
                    bars("metadata updated", data.metadata_updated, tone("ok")),
                    bars("deleted", data.deleted, tone("attention")),
                    bars("failed", data.errors, tone("down")),
                ],
            },
            options: stacked(),
        });
        new Chart(document.getElementById("chart-runs"), {
            type: "bar",
            data: {
                labels: data.labels,
                datasets: [
                    bars("succeeded", data.succeeded, tone("ok")),
                    bars("partial", data.partial, tone("attention")),
                    bars("failed", data.failed, tone("down")),
                ],
            },
            options: stacked(),
        });
    }

    // --- live progress -----------------------------------------------------------------

    var watched = {};  // ids of the runs this page has seen queued or running

    function cell(row, content) {
        var td = document.createElement("td");
        if (content instanceof Node) {
            td.appendChild(content);
        } else {
            td.textContent = content;
        }
        row.appendChild(td);
        return td;
    }

    function link(href, text) {
        var a = document.createElement("a");
        a.href = href;
        a.textContent = text;
        return a;
    }

    function runRow(run) {
        var row = document.createElement("tr");
        row.dataset.run = run.id;
        cell(row, link(run.url, "#" + run.id));
        cell(row, run.what);
        cell(row, run.trigger);
        var status = document.createElement("span");
        status.className = "run-status tone-" + (run.status === "running" ? "active" : "muted");
        status.textContent = run.status;
        cell(row, status);
        cell(row, run.since);
        var sources = cell(row, "");
        run.sources.forEach(function (source) {
            var line = document.createElement("div");
            line.className = "progress-source";
            var name = document.createElement("span");
            name.className = "progress-name";
            name.textContent = source.source;
            var bar = document.createElement("progress");
            bar.max = 100;
            if (source.percent !== null) {
                bar.value = source.percent;
            }
            var text = document.createElement("span");
            text.className = "progress-text";
            text.textContent = source.text;
            line.append(name, " ", bar, " ", text);
            sources.appendChild(line);
        });
        return row;
    }

    function render(payload) {
        var body = document.getElementById("progress-rows");
        var rows = payload.runs.map(runRow);
        if (!rows.length) {
            var empty = document.createElement("tr");
            empty.className = "progress-empty";
            cell(empty, "No run is queued or running.").colSpan = 6;
            rows = [empty];
        }
        body.replaceChildren.apply(body, rows);
        var current = {};
        payload.runs.forEach(function (run) { current[run.id] = true; watched[run.id] = true; });
        var ended = payload.finished.filter(function (run) { return watched[run.id] && !current[run.id]; });
        if (ended.length) {
            var finished = document.getElementById("progress-finished");
            finished.replaceChildren("Finished since this page was opened: ");
            ended.forEach(function (run, index) {
                var status = document.createElement("span");
                status.className = "run-status tone-" + (
                    { succeeded: "ok", partial: "attention", failed: "down" }[run.status] || "muted");
                status.textContent = run.status;
                finished.append(index ? ", " : "", link(run.url, "#" + run.id), " ", status,
                                " at " + run.finished);
            });
            finished.append(" (reload the page for its counts and charts).");
        }
        return payload.runs.length ? POLL_SECONDS_BUSY : POLL_SECONDS_IDLE;
    }

    function poll(module) {
        var note = document.getElementById("progress-note");
        fetch(module.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then(function (response) {
                if (!response.ok) {
                    throw new Error("HTTP " + response.status);
                }
                return response.json();
            })
            .then(function (payload) {
                var next = render(payload);
                note.textContent = "(updated " + new Date().toISOString().slice(11, 19) + " UTC)";
                window.setTimeout(function () { poll(module); }, next * 1000);
            })
            .catch(function (error) {
                note.textContent = "(cannot refresh: " + error.message + "; retrying)";
                window.setTimeout(function () { poll(module); }, POLL_SECONDS_IDLE * 1000);
            });
    }

    function startPolling() {
        var module = document.getElementById("overview-progress");
        if (!module) {
            return;
        }
        module.querySelectorAll("tr[data-run]").forEach(function (row) { watched[row.dataset.run] = true; });
        var busy = module.querySelector("tr[data-run]") !== null;
        window.setTimeout(function () { poll(module); }, (busy ? POLL_SECONDS_BUSY : POLL_SECONDS_IDLE) * 1000);
    }

    drawCharts();
    startPolling();
}());
