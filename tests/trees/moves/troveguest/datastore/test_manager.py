from unittest import mock


@mock.patch("trove.guestagent.datastore.manager.report_status")
def test_status(report_status):
    return report_status
