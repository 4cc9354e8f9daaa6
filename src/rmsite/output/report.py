"""Rendering the coordinator's report (site/report.py's view) with the theme's report.html,
which a programme may override in its own templates/ like any other template."""

from __future__ import annotations

from pathlib import Path

import jinja2

from rmsite.core.problems import Problem
from rmsite.output.render import TemplateMemo, template_environment, template_frame
from rmsite.site.report import ReportView

REPORT_TEMPLATE = "report.html"


def render_report(view: ReportView, site_dir: Path, language: str = "en",
                  live_reload: str = "", memo: TemplateMemo | None = None) -> tuple[str | None, list[Problem]]:
    """The report's HTML, or the template problem that stopped it. `live_reload` is a script
    tag the preview adds (rmsite serve --report); the file itself needs no script. `memo` (the
    build's) keeps the compiled template between the preview's rebuilds."""
    env = template_environment(site_dir / "templates", memo)
    try:
        html = env.get_template(REPORT_TEMPLATE).render(report=view, language=language)
    except jinja2.TemplateSyntaxError as exc:
        return None, [Problem(f"templates/{exc.name or REPORT_TEMPLATE}", exc.lineno or 1, 1, "error",
                              f"template syntax: {exc.message}")]
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError) as exc:
        filename, line = template_frame(exc)
        label = Path(filename).name if filename else REPORT_TEMPLATE
        return None, [Problem(f"templates/{label}", line, 1, "error", f"template error in the report: {exc}")]
    if live_reload:
        html = html.replace("</body>", live_reload + "</body>", 1)
    return html, []
