"""ModelArts' IAM as OpenStack clients reach it: the unmodified ``keystoneauth1`` (what
openstacksdk and the OpenStack command-line clients authenticate with) discovers the
identity API, logs in, and its session then calls ModelArts with the token: with ModelArts
alone at the root, and at the bare root of the default server, where ``/`` is the index and
the identity API's versioned URL (``/v3``, the form Huawei documents) is given."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from keystoneauth1 import session
from keystoneauth1.identity.generic import Password

from mockserver.settings import Settings
from mockserver.testing import ServerThread

PROJECT = "3b1e0c9d8a7f6e5d4c3b2a1908f7e6d5"


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread(Settings(clock="manual", vendor="modelarts", seed=9)) as running:
        yield running


@pytest.mark.timeout(60)  # a refused discovery used to leave keystoneauth waiting for ever
@pytest.mark.parametrize("suffix", ["", "/v3"], ids=["root", "v3"])
@pytest.mark.parametrize(
    "project",
    [{"project_id": PROJECT}, {"project_name": "eu-de", "project_domain_name": "acme"}],
    ids=["by-id", "by-name"],
)
def test_keystoneauth_discovers_logs_in_and_calls_modelarts(
    server: ServerThread, suffix: str, project: dict[str, str]
) -> None:
    auth = Password(auth_url=server.url + suffix, username="labeler", password="secret",
                    user_domain_name="acme", **project)  # fmt: skip
    keystone = session.Session(auth=auth, timeout=10)
    assert keystone.get_token().startswith("MII")
    project_id = keystone.get_project_id()
    assert len(project_id) == 32
    if "project_id" in project:
        assert project_id == PROJECT
    listed = keystone.get(f"{server.url}/v2/{project_id}/datasets", raise_exc=False)
    assert listed.status_code == 200, listed.text
    assert listed.json()["datasets"] == []


@pytest.mark.timeout(60)
def test_keystoneauth_at_the_bare_root_of_the_default_server() -> None:
    with ServerThread(Settings(clock="manual", seed=9)) as server:
        auth = Password(auth_url=f"{server.url}/v3", username="labeler", password="secret",
                        user_domain_name="acme", project_id=PROJECT)  # fmt: skip
        keystone = session.Session(auth=auth, timeout=10)
        assert keystone.get_token().startswith("MII")
        listed = keystone.get(f"{server.url}/v2/{PROJECT}/datasets", raise_exc=False)
        assert listed.status_code == 200, listed.text
        assert listed.json()["datasets"] == []
