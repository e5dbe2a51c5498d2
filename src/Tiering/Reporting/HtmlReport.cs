using System.Globalization;
using System.Text;

namespace Tiered.Reporting;

/// <summary>
/// The profile as one self-contained HTML page (inline CSS, SVG and script; nothing fetched):
/// the totals, an SVG timeline of tier-ups, the functions table and the deopts table, both
/// sortable by clicking a column header. Every string from the profile is escaped: function
/// and chunk names come from the user's scripts. The script reads only the DOM, so no profile
/// text ever reaches it as code.
/// </summary>
public static class HtmlReport
{
    /// <summary>Marks beyond this many would make the chart unreadable; the table has them all.</summary>
    public const int MaxTimelineMarks = 200;

    public static string Render(RunProfile profile)
    {
        ProfileSummary s = profile.Summary;
        var sb = new StringBuilder();
        string title = "Tiered profile" + (s.Script != null ? ": " + s.Script : "");
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<title>").Append(Escape(title)).Append("</title>\n");
        sb.Append("<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");
        sb.Append("<h1>").Append(Escape(title)).Append("</h1>\n");

        Summary(sb, profile);
        Timeline(sb, profile);
        FunctionsTable(sb, profile);
        DeoptsTable(sb, profile);

        sb.Append("<script>\n").Append(Script).Append("</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    // ------------------------------------------------------------------ sections

    private static void Summary(StringBuilder sb, RunProfile profile)
    {
        ProfileSummary s = profile.Summary;
        var compiled = profile.Functions.Where(f => f.Compilations > 0).Select(f => f.CompileMs).Order().ToList();
        sb.Append("<h2>Summary</h2>\n<table id=\"summary\" class=\"summary\">\n");
        Row(sb, "JIT mode", s.JitMode);
        Row(sb, "Run time", TextReport.Ms(s.WallMs));
        Row(sb, "LLVM compilations", s.LlvmCompilations.ToString(CultureInfo.InvariantCulture));
        Row(sb, "Compile time", compiled.Count == 0 ? TextReport.Ms(s.CompileMs)
            : $"{TextReport.Ms(s.CompileMs)} total, median {TextReport.Ms(TextReport.Median(compiled))}, worst {TextReport.Ms(compiled[^1])}");
        Row(sb, "Native functions", $"{s.FunctionsNative} ({s.FunctionsFailed} failed to compile)");
        Row(sb, "Deopts", s.Deopts.ToString(CultureInfo.InvariantCulture));
        Row(sb, "Native cache", $"{s.CacheHits} hits, {s.CacheMisses} misses, {s.CacheRejected.Count} rejected");
        Row(sb, "Cache load time", TextReport.Ms(s.CacheLoadMs));
        sb.Append("</table>\n");
        if (s.CacheRejected.Count > 0)
        {
            sb.Append("<h3>Cache rejections</h3>\n<ul id=\"cache-rejections\">\n");
            foreach (string r in s.CacheRejected) sb.Append("<li>").Append(Escape(r)).Append("</li>\n");
            sb.Append("</ul>\n");
        }
        var failed = profile.Functions.Where(f => f.Failure != null).ToList();
        if (failed.Count > 0)
        {
            sb.Append("<h3>Not compiled</h3>\n<ul id=\"failures\">\n");
            foreach (FunctionEntry f in failed)
                sb.Append("<li><code>").Append(Escape(f.Name)).Append("</code>: ").Append(Escape(f.Failure!)).Append("</li>\n");
            sb.Append("</ul>\n");
        }
    }

    private static void Row(StringBuilder sb, string label, string value) =>
        sb.Append("<tr><th scope=\"row\">").Append(Escape(label)).Append("</th><td>").Append(Escape(value)).Append("</td></tr>\n");

    /// <summary>One row per function that went native, in the order it did: a dot at the
    /// time it went native (blue: compiled by LLVM, green: loaded from the cache), labelled.</summary>
    private static void Timeline(StringBuilder sb, RunProfile profile)
    {
        var marks = profile.Functions.Where(f => f.NativeSinceMs != null)
            .OrderBy(f => f.NativeSinceMs).ToList();
        sb.Append("<h2>Tier-ups</h2>\n");
        if (marks.Count == 0)
        {
            sb.Append("<p id=\"timeline-empty\">No function went native in this run.</p>\n");
            return;
        }
        bool truncated = marks.Count > MaxTimelineMarks;
        if (truncated) marks = marks.Take(MaxTimelineMarks).ToList();
        const double left = 20, right = 20, top = 34, rowHeight = 18, width = 960;
        double span = Math.Max(profile.Summary.WallMs, marks.Max(f => f.NativeSinceMs!.Value));
        if (span <= 0) span = 1;
        double plot = width - left - right;
        double height = top + rowHeight * marks.Count + 10;
        double X(double ms) => left + plot * ms / span;

        sb.Append(Invariant($"<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"tier-up timeline\">\n"));
        // Axis with ticks at round numbers of ms.
        double step = NiceStep(span / 6);
        sb.Append(Invariant($"<line class=\"axis\" x1=\"{left}\" y1=\"{top - 10}\" x2=\"{left + plot}\" y2=\"{top - 10}\"/>\n"));
        for (double t = 0; t <= span + step / 1000; t += step)
        {
            double x = X(t);
            sb.Append(Invariant($"<line class=\"tick\" x1=\"{x:0.#}\" y1=\"{top - 14}\" x2=\"{x:0.#}\" y2=\"{height - 6}\"/>"));
            sb.Append(Invariant($"<text class=\"tick-label\" x=\"{x:0.#}\" y=\"{top - 18}\" text-anchor=\"middle\">{t:0.###} ms</text>\n"));
        }
        for (int i = 0; i < marks.Count; i++)
        {
            FunctionEntry f = marks[i];
            double ms = f.NativeSinceMs!.Value;
            double x = X(ms), y = top + rowHeight * i + rowHeight / 2;
            string source = f.FromCache ? "cache" : "llvm";
            string label = $"{f.Name} — {TextReport.Ms(ms)}" + (f.FromCache ? " (cache)" : $" (compiled in {TextReport.Ms(f.CompileMs)})");
            sb.Append(Invariant($"<g class=\"mark {source}\"><title>{Escape(label)}</title>"));
            // A function compiled once went native when its compilation ended: draw that
            // compilation as a bar ending at the mark (recompilations blur this, so not for them).
            double barStart = x;
            if (!f.FromCache && f.Compilations == 1 && f.CompileMs > 0)
            {
                barStart = X(Math.Max(0, ms - f.CompileMs));
                sb.Append(Invariant($"<rect class=\"compile\" x=\"{barStart:0.#}\" y=\"{y - 2:0.#}\" width=\"{Math.Max(1, x - barStart):0.#}\" height=\"4\"/>"));
            }
            sb.Append(Invariant($"<circle cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"5\"/>"));
            // The label goes right of the dot if it fits, else left of the bar, else left of the dot.
            double labelWidth = label.Length * 6.2;
            (double labelX, string anchor) =
                x + 9 + labelWidth <= width ? (x + 9, "start")
                : barStart - 9 - labelWidth >= 0 ? (barStart - 9, "end")
                : (x - 9, "end");
            sb.Append(Invariant($"<text x=\"{labelX:0.#}\" y=\"{y + 4:0.#}\" text-anchor=\"{anchor}\">{Escape(label)}</text></g>\n"));
        }
        sb.Append("</svg>\n");
        sb.Append("<p class=\"legend\"><span class=\"dot llvm\"></span> compiled by LLVM (the bar before it: the compilation) <span class=\"dot cache\"></span> loaded from the native cache");
        if (truncated) sb.Append(Invariant($" — the first {MaxTimelineMarks} tier-ups are shown; the table lists all"));
        sb.Append("</p>\n");
    }

    private static double NiceStep(double raw)
    {
        if (raw <= 0) return 1;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double n = raw / magnitude;
        return magnitude * (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10);
    }

    private static void FunctionsTable(StringBuilder sb, RunProfile profile)
    {
        sb.Append("<h2>Functions</h2>\n");
        if (profile.Functions.Count == 0)
        {
            sb.Append("<p>No function reached the tier-up threshold.</p>\n");
            return;
        }
        sb.Append("<p class=\"hint\">Click a column header to sort.</p>\n");
        sb.Append("<table id=\"functions\" class=\"sortable\">\n<thead><tr>");
        Header(sb, "function", numeric: false);
        Header(sb, "chunk:line", numeric: false);
        Header(sb, "calls", numeric: true);
        Header(sb, "back-edges", numeric: true);
        Header(sb, "tier", numeric: false);
        Header(sb, "native since (ms)", numeric: true);
        Header(sb, "compile ms", numeric: true);
        Header(sb, "compilations", numeric: true);
        Header(sb, "from cache", numeric: false);
        Header(sb, "deopts", numeric: true);
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (FunctionEntry f in profile.Functions.OrderByDescending(f => f.Heat))
        {
            sb.Append("<tr>");
            TextCell(sb, f.Name);
            TextCell(sb, $"{f.Chunk}:{f.Line}");
            NumberCell(sb, f.Calls);
            NumberCell(sb, f.BackEdges);
            TextCell(sb, TextReport.TierLabel(f));
            if (f.NativeSinceMs is double since) NumberCell(sb, since);
            else sb.Append("<td class=\"num\" data-value=\"\">-</td>");
            NumberCell(sb, f.CompileMs);
            NumberCell(sb, f.Compilations);
            TextCell(sb, f.FromCache ? "yes" : "no");
            NumberCell(sb, f.Deopts.Sum(d => d.Count));
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody>\n</table>\n");
    }

    private static void DeoptsTable(StringBuilder sb, RunProfile profile)
    {
        sb.Append("<h2>Deopts</h2>\n");
        var deopts = profile.Functions.SelectMany(f => f.Deopts.Select(d => (Function: f, Deopt: d)))
            .OrderByDescending(x => x.Deopt.Count).ToList();
        if (deopts.Count == 0)
        {
            sb.Append("<p id=\"no-deopts\">No deopts.</p>\n");
            return;
        }
        sb.Append("<table id=\"deopts\" class=\"sortable\">\n<thead><tr>");
        Header(sb, "function", numeric: false);
        Header(sb, "chunk:line", numeric: false);
        Header(sb, "pc", numeric: true);
        Header(sb, "count", numeric: true);
        Header(sb, "reason", numeric: false);
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var (f, d) in deopts)
        {
            sb.Append("<tr>");
            TextCell(sb, f.Name);
            TextCell(sb, $"{f.Chunk}:{d.Line}");
            NumberCell(sb, d.Pc);
            NumberCell(sb, d.Count);
            sb.Append("<td title=\"").Append(Escape(d.Description)).Append("\">")
              .Append(Escape(d.Reason)).Append(": ").Append(Escape(d.Description)).Append("</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody>\n</table>\n");
    }

    private static void Header(StringBuilder sb, string label, bool numeric) =>
        sb.Append("<th data-type=\"").Append(numeric ? "num" : "text").Append("\">").Append(Escape(label)).Append("</th>");

    private static void TextCell(StringBuilder sb, string text) =>
        sb.Append("<td>").Append(Escape(text)).Append("</td>");

    private static void NumberCell(StringBuilder sb, double value)
    {
        string v = value.ToString("R", CultureInfo.InvariantCulture);
        sb.Append("<td class=\"num\" data-value=\"").Append(v).Append("\">")
          .Append(value == Math.Floor(value) && Math.Abs(value) < 1e15 ? v : TextReport.Number(value)).Append("</td>");
    }

    /// <summary>Escapes text for HTML element content and quoted attribute values (also
    /// inside inline SVG).</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default:
                    // Control characters are not allowed in HTML text; show them as U+FFFD.
                    sb.Append(char.IsControl(c) && c is not ('\n' or '\t') ? '\uFFFD' : c);
                    break;
            }
        }
        return sb.ToString();
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ inline assets

    private const string Css = """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
        h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
        table { border-collapse: collapse; }
        th, td { padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: left; white-space: nowrap; }
        td.num, th[data-type="num"] { text-align: right; font-variant-numeric: tabular-nums; }
        table.sortable th { cursor: pointer; user-select: none; background: #f3f3f3; }
        table.sortable th:hover { background: #e6e6e6; }
        th[aria-sort="ascending"]::after { content: " \25B2"; }
        th[aria-sort="descending"]::after { content: " \25BC"; }
        table.summary th { font-weight: normal; color: #555; }
        .hint, .legend { color: #666; font-size: 0.9em; }
        svg text { font: 11px system-ui, sans-serif; fill: #222; }
        svg .axis, svg .tick { stroke: #bbb; } svg .tick { stroke-dasharray: 2 3; }
        svg .tick-label { fill: #666; }
        svg rect.compile { fill: #9dbcee; }
        .mark.llvm circle, .dot.llvm { fill: #2f6fd6; background: #2f6fd6; }
        .mark.cache circle, .dot.cache { fill: #2e9e4f; background: #2e9e4f; }
        .dot { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin-left: 1em; }

        """;

    // Numeric columns sort descending on the first click (the hottest first), text columns
    // ascending; a second click reverses. Empty numbers ("-") sort last.
    private const string Script = """
        (function () {
          function key(row, col, numeric) {
            var cell = row.cells[col];
            if (!numeric) return cell.textContent;
            var v = parseFloat(cell.getAttribute('data-value'));
            return isNaN(v) ? null : v;
          }
          function sortBy(table, col, th) {
            var numeric = th.getAttribute('data-type') === 'num';
            var first = numeric ? 'descending' : 'ascending';
            var dir = th.getAttribute('aria-sort') === first ? (numeric ? 'ascending' : 'descending') : first;
            var headers = table.tHead.rows[0].cells;
            for (var i = 0; i < headers.length; i++) headers[i].removeAttribute('aria-sort');
            th.setAttribute('aria-sort', dir);
            var sign = dir === 'ascending' ? 1 : -1;
            var body = table.tBodies[0];
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = key(a, col, numeric), y = key(b, col, numeric);
              if (x === null || y === null) return x === y ? 0 : (x === null ? 1 : -1);
              if (numeric) return sign * (x - y);
              return sign * x.localeCompare(y);
            });
            rows.forEach(function (r) { body.appendChild(r); });
          }
          var tables = document.querySelectorAll('table.sortable');
          Array.prototype.forEach.call(tables, function (table) {
            var headers = table.tHead.rows[0].cells;
            Array.prototype.forEach.call(headers, function (th, col) {
              th.addEventListener('click', function () { sortBy(table, col, th); });
            });
          });
        })();

        """;
}
