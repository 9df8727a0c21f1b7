"""The SageMaker serving contract over real HTTP against ``smtrain serve``."""

from __future__ import annotations

import json

import pytest

from .client import invoke, request
from .conftest import Server

HEADER = "island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year"
GENTOO = "Biscoe,46.1,13.2,211,4500,female,2007"
# A value no log line may contain: the access log must never show payloads.
MARKER = "Zanzibar-payload-marker"


def test_ping_answers_200(classifier_server: Server) -> None:
    assert request(classifier_server.url, "GET", "/ping").status == 200


def test_execution_parameters_describe_batching(classifier_server: Server) -> None:
    reply = request(classifier_server.url, "GET", "/execution-parameters")

    assert reply.status == 200
    assert json.loads(reply.body) == {
        "MaxConcurrentTransforms": 2,
        "BatchStrategy": "MULTI_RECORD",
        "MaxPayloadInMB": 1,
    }


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (f"{HEADER}\n{GENTOO}\n", "text/csv"),
        (GENTOO, "text/csv"),
        (json.dumps({"instances": [GENTOO.split(",")]}), "application/json"),
        (
            json.dumps(dict(zip(HEADER.split(","), GENTOO.split(","), strict=True))),
            "application/jsonlines",
        ),
    ],
    ids=["csv with header", "csv", "json instances", "json lines"],
)
def test_invocations_predict_every_input_format(
    classifier_server: Server, body: str, content_type: str
) -> None:
    reply = invoke(classifier_server.url, body, content_type)

    assert reply.status == 200
    assert reply.content_type == "application/json"
    (prediction,) = json.loads(reply.body)["predictions"]
    assert prediction["label"] == "Gentoo"
    assert set(prediction["probabilities"]) == {"Adelie", "Chinstrap", "Gentoo"}


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("text/csv", "text/csv"),
        ("application/jsonlines", "application/jsonlines"),
        ("*/*", "application/json"),
    ],
)
def test_invocations_answer_in_the_accepted_format(
    classifier_server: Server, accept: str, content_type: str
) -> None:
    reply = invoke(classifier_server.url, f"{GENTOO}\n{GENTOO}\n", "text/csv", accept)

    assert reply.status == 200
    assert reply.content_type == content_type
    assert len(reply.body.splitlines()) == (
        1 if content_type == "application/json" else 2
    )


def test_a_thousand_row_batch(classifier_server: Server) -> None:
    reply = invoke(classifier_server.url, f"{GENTOO}\n" * 1000, "text/csv", "text/csv")

    assert reply.status == 200
    assert len(reply.body.splitlines()) == 1000


@pytest.mark.parametrize(
    ("body", "content_type", "accept", "status", "reason"),
    [
        ("Biscoe,46.1", "text/csv", None, 400, "expected 7 in this order"),
        (
            "island,sex\nBiscoe,male",
            "text/csv",
            None,
            400,
            "missing columns: bill_length",
        ),
        ('{"instances": [', "application/json", None, 400, "not valid JSON"),
        (GENTOO.replace("46.1", "long"), "text/csv", None, 400, "'bill_length_mm'"),
        (GENTOO, "application/xml", None, 415, "unsupported Content-Type"),
        (GENTOO, "text/csv", "image/png", 406, "cannot answer in 'image/png'"),
        ("not,a,row", "text/csv", "text/html", 406, "cannot answer in 'text/html'"),
    ],
)
def test_client_mistakes_get_their_4xx_and_the_reason(
    classifier_server: Server,
    body: str,
    content_type: str,
    accept: str | None,
    status: int,
    reason: str,
) -> None:
    reply = invoke(classifier_server.url, body, content_type, accept)

    assert reply.status == status
    assert reason in json.loads(reply.body)["error"]


def test_a_body_over_the_limit_is_413(classifier_server: Server) -> None:
    body = (f"{GENTOO}\n" * 20_000).encode()  # about 0.8 MB, over the 0.5 MB limit

    reply = invoke(classifier_server.url, body, "text/csv")

    assert reply.status == 413
    assert "over the 0.5 MB limit" in json.loads(reply.body)["error"]


def test_a_chunked_body_over_the_limit_is_413(classifier_server: Server) -> None:
    chunks = [f"{GENTOO}\n".encode() * 1000 for _ in range(20)]

    reply = request(
        classifier_server.url,
        "POST",
        "/invocations",
        chunks,
        {"Content-Type": "text/csv", "Transfer-Encoding": "chunked"},
    )

    assert reply.status == 413


def test_a_chunked_body_under_the_limit_predicts(classifier_server: Server) -> None:
    chunks = [f"{GENTOO}\n".encode() for _ in range(3)]

    reply = request(
        classifier_server.url,
        "POST",
        "/invocations",
        chunks,
        {"Content-Type": "text/csv", "Transfer-Encoding": "chunked"},
    )

    assert reply.status == 200
    assert len(json.loads(reply.body)["predictions"]) == 3


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/invocations", 405), ("POST", "/ping", 405), ("GET", "/predict", 404)],
)
def test_unknown_routes_and_methods(
    classifier_server: Server, method: str, path: str, status: int
) -> None:
    assert request(classifier_server.url, method, path).status == status


def test_the_access_log_has_each_request_but_no_payload(
    classifier_server: Server,
) -> None:
    body = f"{HEADER}\n{MARKER},46.1,13.2,211,4500,female,2007\n"
    assert invoke(classifier_server.url, body, "text/csv").status == 200
    assert invoke(classifier_server.url, f"{MARKER},x", "text/csv").status == 400

    log = classifier_server.log.read_text()

    assert '"POST /invocations" 200' in log
    assert '"POST /invocations" 400' in log
    assert MARKER not in log


def test_the_regressor_answers_values(regressor_server: Server) -> None:
    row = "0.038,0.05,0.062,0.022,-0.044,-0.035,-0.043,-0.003,0.02,-0.018"

    reply = invoke(regressor_server.url, f"{row}\n{row}\n", "text/csv", "text/csv")

    assert reply.status == 200
    values = [float(v) for v in reply.body.splitlines()]
    assert len(values) == 2
    assert values[0] == values[1]


def test_the_sagemaker_variables_configure_the_server(regressor_server: Server) -> None:
    reply = request(regressor_server.url, "GET", "/execution-parameters")

    parameters = json.loads(reply.body)
    assert parameters["MaxConcurrentTransforms"] == 1
    assert parameters["MaxPayloadInMB"] == 3
