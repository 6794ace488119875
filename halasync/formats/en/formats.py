"""Dates and times as the admin shows them: one format, to the second, on list and detail
pages alike ("2026-01-02 03:04:05", UTC as TIME_ZONE says), so that a watermark before
and after a run can be told apart. The other formats stay Django's English ones."""

DATETIME_FORMAT = "Y-m-d H:i:s"
SHORT_DATETIME_FORMAT = "Y-m-d H:i:s"
DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
TIME_FORMAT = "H:i:s"
