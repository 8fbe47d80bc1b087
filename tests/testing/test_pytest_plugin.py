"""The pytest plugin as a user meets it: installed by the package, configured by a marker and
overridable fixtures, isolating tests without global resets, also under ``pytest -n 2``."""

import pytest

pytest_plugins = ["pytester"]

ISOLATION = """
    import pytest

    @pytest.mark.parametrize("n", range(4))
    def test_a_written_invoice_is_seen_by_its_test_only(sandbox, n):
        client = sandbox.client("rebilly")
        assert len(client.get("/invoices").json()) == 3  # the fixtures, nothing else
        client.post("/invoices", json={"customerId": "c", "websiteId": "w", "currency": "USD"})
        assert len(client.get("/invoices").json()) == 4
"""


def test_the_plugin_is_installed_with_the_package(pytester):
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.invoice_sandbox(*"])


def test_tests_are_isolated_in_parallel_workers(pytester):
    pytester.makepyfile(ISOLATION)
    # Two fresh worker processes; unrelated heavy plugins are left out to keep this quick.
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider",
                                           "-p", "no:schemathesis", "-p", "no:hypothesispytest")
    result.assert_outcomes(passed=4)


def test_the_marker_shapes_the_tenant(pytester):
    pytester.makepyfile("""
        import pytest

        pytestmark = pytest.mark.invoice_sandbox(providers=["rebilly", "lineitems"], seed=1)

        @pytest.mark.invoice_sandbox(providers=["lineitems"], clock="2024-05-01T00:00:00Z",
                                     fixtures=False, tenant="marked")
        def test_closest_marker_wins(sandbox):
            assert sandbox.providers == ("lineitems",)
            assert sandbox.api_key("lineitems") == "sk_sandbox_marked"
            assert sandbox.clock.now().isoformat() == "2024-05-01T00:00:00+00:00"
            assert sandbox.client("lineitems").get("/invoices").json() == {"items": []}

        def test_module_marker_applies(sandbox, invoice_sandbox_options):
            assert invoice_sandbox_options == {"providers": ["rebilly", "lineitems"], "seed": 1}
            assert sandbox.providers == ("rebilly", "lineitems")
    """)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_an_unknown_marker_option_is_a_usage_error(pytester):
    pytester.makepyfile("""
        import pytest

        @pytest.mark.invoice_sandbox(colour="red")
        def test_it(sandbox):
            pass
    """)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*unknown option(s) colour*"])


def test_the_server_config_is_an_overridable_fixture(pytester):
    pytester.makeconftest("""
        import pytest
        from invoice_sandbox import SandboxConfig

        @pytest.fixture(scope="session")
        def invoice_sandbox_config():
            return SandboxConfig(providers=("billingrails",), clock="2024-01-01T00:00:00Z",
                                 admin_token="s3cret")
    """)
    pytester.makepyfile("""
        def test_only_the_configured_provider(sandbox, invoice_sandbox_server):
            assert sandbox.providers == ("billingrails",)
            assert invoice_sandbox_server.admin_token == "s3cret"
            assert sandbox.clock.now().year == 2024
    """)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


SHARED = """
    import pytest

    @pytest.mark.parametrize("n", range(3))
    def test_each_test_has_its_own_tenant_on_the_shared_sandbox(sandbox, n):
        with sandbox.live_client("rebilly") as client:
            assert len(client.get("/invoices").json()) == 3
            client.post("/invoices", json={"customerId": "c", "websiteId": "w",
                                           "currency": "USD"})
            assert len(client.get("/invoices").json()) == 4
        with pytest.raises(RuntimeError, match="remote"):
            sandbox.client("rebilly")
"""


def test_runners_share_an_external_sandbox_named_by_the_environment(pytester, monkeypatch):
    from invoice_sandbox import SandboxConfig, create_app
    from invoice_sandbox.core.tenant import GLOBAL
    from invoice_sandbox.tenancy.registry import TENANTS
    from invoice_sandbox.testing import LiveServer

    with LiveServer(create_app(SandboxConfig(admin_token="s3cret"))) as server:
        monkeypatch.setenv("INVOICE_SANDBOX_URL", server.base_url)
        monkeypatch.setenv("INVOICE_SANDBOX_ADMIN_TOKEN", "s3cret")
        pytester.makepyfile(SHARED)
        result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider",
                                               "-p", "no:schemathesis",
                                               "-p", "no:hypothesispytest")
        result.assert_outcomes(passed=3)
        made = server.app.sandbox.store.list(GLOBAL, TENANTS)
        assert len([t for t in made if t["provider"] == "rebilly"]) == 3  # one per test
