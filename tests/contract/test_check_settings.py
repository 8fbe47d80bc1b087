"""The per-operation check settings in ``schemathesis.toml`` do what their comments say."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from .harness import contract_app, contract_config, load_contract

PAID_LINEITEMS_INVOICE = "ZVzWRFnt"  # fixtures/lineitems/default.yaml
REQUIRED_CHECKS = (
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_headers_conformance", "response_schema_conformance", "negative_data_rejection",
    "positive_data_acceptance", "missing_required_header", "unsupported_method",
    "use_after_free", "ensure_resource_availability", "ignored_auth",
    "invoice_totals_match_items",
)


def test_every_required_check_is_enabled_in_every_phase():
    project = contract_config().projects.get_default()
    for phase in ("examples", "coverage", "fuzzing", "stateful"):
        checks = project.checks_config_for(operation=None, phase=phase)
        disabled = [name for name in REQUIRED_CHECKS if not checks.get_by_name(name=name).enabled]
        assert disabled == [], phase


def test_payload_too_large_is_the_only_status_added_to_what_counts_as_rejection():
    default = SchemathesisConfig().projects.get_default().checks.negative_data_rejection
    ours = contract_config().projects.get_default().checks.negative_data_rejection
    assert set(ours.expected_statuses) - set(default.expected_statuses) == {"413"}
    assert set(default.expected_statuses) <= set(ours.expected_statuses)


def test_valid_line_item_for_a_paid_invoice_is_refused_with_the_documented_422():
    contract = load_contract(contract_app("lineitems"), "lineitems")
    operation = contract.schema["/invoices/{id}/line-items"]["POST"]
    strategy = operation.as_strategy(generation_mode=GenerationMode.POSITIVE,
                                     path_parameters={"id": PAID_LINEITEMS_INVOICE})
    statuses = Counter()

    @settings(max_examples=10, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def valid_line_item_is_refused_without_a_contract_failure(case):
        statuses[case.call_and_validate().status_code] += 1

    valid_line_item_is_refused_without_a_contract_failure()
    assert set(statuses) == {422}
