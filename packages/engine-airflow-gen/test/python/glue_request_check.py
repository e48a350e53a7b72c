"""Validates Glue CreateJob requests (JSON files) against botocore's Glue service model, then
creates each job on moto's in-process Glue mock and reads it back.

usage: python glue_request_check.py <file.json>...
Prints, after a "@@ENGINE-JSON@@" line, {"<file>": {"errors": "<botocore report or empty>", "job": <GetJob result or null>}}.
"""

import json
import os
import sys

import boto3
from botocore.validate import ParamValidator
from moto import mock_aws

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")


def main(paths):
    out = {}
    with mock_aws():
        glue = boto3.client("glue", region_name="us-east-1")
        shape = glue.meta.service_model.operation_model("CreateJob").input_shape
        for path in paths:
            with open(path) as f:
                request = json.load(f)
            report = ParamValidator().validate(request, shape)
            entry = {"errors": report.generate_report() if report.has_errors() else "", "job": None}
            if not report.has_errors():
                glue.create_job(**request)
                entry["job"] = glue.get_job(JobName=request["Name"])["Job"]
            out[path] = entry
    # Airflow logs to stdout too: the report is the one line after the marker.
    print("\n@@ENGINE-JSON@@\n" + json.dumps(out, sort_keys=True, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
