"""JUnit XML: one test case per contract (a failure listing the violations when broken), and
one for the files that could not be analysed. Jenkins and GitLab read it."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from boundary_lint.report import Report


def render(report: Report, color: bool = False) -> str:
    suites = ET.Element("testsuites", name="boundary-lint")
    suite = ET.SubElement(suites, "testsuite", name="boundary-lint")
    failures = errors = 0
    for contract in report.contracts:
        case = ET.SubElement(suite, "testcase", classname=f"boundary_lint.{contract.type}", name=contract.id)
        violations = contract.active_violations
        if violations:
            failures += 1
            failure = ET.SubElement(
                case, "failure", type=violations[0].code, message=f"{contract.name}: {len(violations)} violations"
            )
            failure.text = "".join(f"{v.path}:{v.line}:{v.column}: {v.code} {v.message}\n" for v in violations)
        if contract.findings and not violations:
            failures += 1
            failure = ET.SubElement(case, "failure", type=contract.findings[0].code, message=contract.findings[0].message)
            failure.text = "".join(f"{f.code} {f.message}\n" for f in contract.findings)
        if contract.errors:
            errors += 1
            error = ET.SubElement(case, "error", type=contract.errors[0].code, message=contract.errors[0].message)
            error.text = "".join(f"{e.code} {e.message}\n" for e in contract.errors)
    if report.errors:
        errors += 1
        case = ET.SubElement(suite, "testcase", classname="boundary_lint.analysis", name="files")
        error = ET.SubElement(case, "error", type=report.errors[0].code, message=f"{len(report.errors)} files could not be analysed")
        error.text = "".join(f"{e.path}:{e.line or 1}: {e.code} {e.message}\n" for e in report.errors)
    tests = len(report.contracts) + (1 if report.errors else 0)
    for element in (suites, suite):
        element.set("tests", str(tests))
        element.set("failures", str(failures))
        element.set("errors", str(errors))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
