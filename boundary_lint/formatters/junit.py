"""JUnit XML: one test case per contract (a failure listing the violations when broken), one for
the files that could not be analysed, and one for the baseline when one is used (a failure when
``--strict-baseline`` finds fixed entries in it). Jenkins and GitLab read it.

Every value is ``printable`` first: XML 1.0 cannot carry most control characters at all, not
even as character references, and ElementTree would write them raw into a file no parser reads."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from boundary_lint.codes import FIXED_BASELINE_ENTRY
from boundary_lint.escaping import printable
from boundary_lint.formatters.findings import Entry, fixed_notes, line, plural, shortened
from boundary_lint.report import Problem, Report


def render(report: Report, color: bool = False) -> str:
    suites = ET.Element("testsuites", name="boundary-lint")
    suite = ET.SubElement(suites, "testsuite", name="boundary-lint")
    tests = failures = errors = 0

    def case(classname: str, name: str) -> ET.Element:
        nonlocal tests
        tests += 1
        return ET.SubElement(suite, "testcase", classname=printable(classname), name=printable(name))

    def outcome(parent: ET.Element, kind: str, code: str, message: str, lines: list[str]) -> None:
        nonlocal failures, errors
        if kind == "failure":
            failures += 1
        else:
            errors += 1
        element = ET.SubElement(parent, kind, type=code, message=printable(shortened(message)))
        element.text = "".join(f"{text}\n" for text in lines)

    for contract in report.contracts:
        testcase = case(f"boundary_lint.{contract.type}", contract.id)
        violations = contract.active_violations
        if violations:
            summary = f"{shortened(contract.name)}: {plural(len(violations), 'violation')}"
            outcome(
                testcase,
                "failure",
                violations[0].code,
                summary,
                [line(_entry(v.path, v.line, v.column, v.code, v.message)) for v in violations],
            )
        if contract.findings and not violations:
            first = contract.findings[0]
            outcome(
                testcase, "failure", first.code, first.message, [_problem_line(f) for f in contract.findings]
            )
        if contract.errors:
            first = contract.errors[0]
            outcome(testcase, "error", first.code, first.message, [_problem_line(e) for e in contract.errors])
    unanalysable = [e for e in report.errors if e.code != FIXED_BASELINE_ENTRY]
    if unanalysable:
        outcome(
            case("boundary_lint.analysis", "files"),
            "error",
            unanalysable[0].code,
            f"{plural(len(unanalysable), 'file')} could not be analysed",
            [_problem_line(e) for e in unanalysable],
        )
    if report.baseline is not None:
        testcase = case("boundary_lint.baseline", report.baseline)
        stale = [e for e in report.errors if e.code == FIXED_BASELINE_ENTRY]
        if stale:
            outcome(
                testcase,
                "failure",
                FIXED_BASELINE_ENTRY,
                f"{plural(len(stale), 'fixed entry', 'fixed entries')} still in the baseline",
                [_problem_line(e) for e in stale],
            )
        elif fixed_notes(report):
            ET.SubElement(testcase, "system-out").text = "".join(
                line(_entry(f.path, f.line, 1, FIXED_BASELINE_ENTRY, f.message)) + "\n"
                for f in fixed_notes(report)
            )
    for element in (suites, suite):
        element.set("tests", str(tests))
        element.set("failures", str(failures))
        element.set("errors", str(errors))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _entry(path: str | None, line_number: int, column: int, code: str, message: str) -> Entry:
    return Entry(path or None, line_number, column, code, message, None, None)


def _problem_line(problem: Problem) -> str:
    return line(_entry(problem.path, problem.line or 1, 1, problem.code, problem.message))
