"""clickworker sign-off jobs: approval, rejection and rework, cloning, auto-approval, refusals."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from clickworker_kit import DAY, GRADES, HOST, OUTPUTS, Customer, Hooks, make_client, rejection
from starlette.testclient import TestClient

# The documentation's approval and rejection bodies (order walkthrough, step 3), as printed.
APPROVAL_XML = b"""<job>
  <input>
  <items>
    <code>accepted</code>
    <content>1</content>
  </items>
  </input>
</job>"""

REJECTION_XML = b"""<job>
  <input>
  <!-- Text is rejected: accepted=0 -->
  <items>
    <code>accepted</code>
    <content> 0 </content>
  </items>
  <!--Judge grammar: 4=Perfect, 3=Very good, 2 = Ok, 0 = poor -->
  <items>
    <code>grade_gr</code>
    <content>2</content>
  </items>
  <!--Comment your judge on grammar. This is obliged if you judged it with a value < 3 -->
  <items>
    <code>grade_gr_comment</code>
    <content>Here is my grade_gr comment</content>
  </items>
  <!--Judge spelling and punctuation: 4=Perfect, 3=Very good, 2 = Ok, 0 = poor -->
  <items>
    <code>grade_sppu</code>
    <content>2</content>
  </items>
  <!--Comment your judge on spelling and punctuation. This is obliged if you judged
it with a value < 3 -->
  <items>
    <code>grade_sppu_comment</code>
    <content>Here is my grade_sppu comment</content>
  </items>
  <!--Judge sentence structure: 4=Perfect, 3=Very good, 2 = Ok, 0 = poor -->
  <items>
    <code>grade_sest</code>
    <content>2</content>
  </items>


  <!--Comment your judge on sentence structure. This is obliged if you judged it
with a value < 3 -->
  <items>
    <code>grade_sest_comment</code>
    <content>Here is my grade_sest comment</content>
  </items>
  <!--Judge the style: 4=Perfect, 3=Very good, 2 = Ok, 0 = poor -->
  <items>
    <code>grade_st</code>
    <content>2</content>
  </items>
  <!--Comment your judge on style. This is obliged if you judged it with a value < 3
-->
  <items>
    <code>grade_st_comment</code>
    <content>Here is my grade_st comment</content>
  </items>
  <!--Judge comprehension and clarity: 4=Perfect, 3=Very good, 2 = Ok, 0 = poor -->
  <items>
    <code>grade_cocl</code>
    <content>2</content>
  </items>
  <!--Comment your judge on comprehension and clarity. This is obliged if you judged
it with a value < 3 -->
  <items>
    <code>grade_cocl_comment</code>
    <content>Here is my grade_cocl comment</content>
  </items>
  <!--Judge the adherence to the working instructions: 4=Perfect, 3=Very good, 2 =
Ok, 0 = poor -->
  <items>
    <code>grade_foin</code>
    <content>2</content>
  </items>
  <!--Comment your judge on adherence to the working instructions. This is obliged
if you judged it with a value < 3 -->
  <items>
    <code>grade_foin_comment</code>
    <content>Here is my grade_foin comment</content>
  </items>
  <!--Judge selection of information: 4=Perfect, 3=Very good, 2 = Ok, 0 = poor -->
  <items>
    <code>grade_sein</code>
    <content>2</content>
  </items>
  <!--Comment your judge on the selection of information. This is obliged if you
judged it with a value < 3 -->
  <items>
    <code>grade_sein_comment</code>
    <content>Here is my grade_sein comment</content>
  </items>
  <!--Comment for the author. This is obliged.-->
  <items>
    <code>comment</code>
    <content>Text ist in Ordnung.</content>
  </items>
</input>
</job>"""


@pytest.fixture
def hooks() -> Hooks:
    return Hooks()


@pytest.fixture
def client(hooks: Hooks) -> Iterator[TestClient]:
    with make_client(hooks) as running:
        yield running


@pytest.fixture(params=["XML", "JSON"])
def cw(request: pytest.FixtureRequest, client: TestClient) -> Customer:
    customer = Customer(client, request.param)
    customer.add_template()
    return customer


def waiting(cw: Customer, task_id: str | None = None) -> tuple[str, str]:
    """A task (new unless given) advanced to feedback, and its open job's id."""
    task_id = task_id or cw.create()["id"]
    cw.advance(DAY)
    return task_id, cw.open_job(task_id)


def put(cw: Customer, job_id: str, items: dict[str, str] | bytes) -> dict[str, object]:
    response = (
        cw.call("PUT", f"customer/jobs/{job_id}", body=items)
        if isinstance(items, bytes)
        else cw.buyoff(job_id, items)
    )
    job: dict[str, object] = cw.ok(response, "job")
    return job


def approve(cw: Customer, job_id: str) -> dict[str, object]:
    if cw.fmt == "XML":
        return put(cw, job_id, APPROVAL_XML)
    return put(cw, job_id, {"accepted": "1"})


def reject(cw: Customer, job_id: str) -> dict[str, object]:
    if cw.fmt == "XML":
        return put(cw, job_id, REJECTION_XML)
    return put(cw, job_id, rejection(comment="Text ist in Ordnung."))


def worker_of(cw: Customer, task_id: str) -> str | None:
    return cw.world().tasks.get(int(task_id)).worker_id


# -- the job -------------------------------------------------------------------------------------


def test_the_job_shows_inputs_then_outputs_and_the_buyoff_form(cw: Customer) -> None:
    task_id, job_id = waiting(cw)
    job = cw.job(job_id)
    assert job["link"][0]["href"] == f"{HOST}/customer/jobs/{job_id}"
    assert job_id == "5968545"
    assert job["task"]["link"][0] == {
        "href": f"{HOST}/customer/tasks/{task_id}",
        "rel": "task",
        "type": "application/json" if cw.fmt == "JSON" else "application/xml",
    }
    assert job["customer_ref"] == "ref-1"
    assert [i["code"] for i in job["items"]] == ["link_to_hotel", *OUTPUTS]
    assert job["state"] == "open"
    codes = [e["code"] for e in job["form"]["elements"]]
    assert codes[0] == "accepted" and codes[-1] == "comment"
    assert all(g in codes and f"{g}_comment" in codes for g in GRADES)
    grade = next(e for e in job["form"]["elements"] if e["code"] == "grade_gr")
    assert [o["code"] for o in grade["options"]] == ["4", "3", "2", "0"]


def test_the_job_list_holds_open_jobs_and_filters_by_task(cw: Customer) -> None:
    task_id, job_id = waiting(cw)
    other = cw.create()["id"]
    jobs = cw.ok(cw.call("GET", "customer/jobs"), "jobs")
    assert [j["id"] for j in jobs] == [job_id]
    assert jobs[0]["link"][0]["href"].endswith(f"/customer/jobs/{job_id}")
    assert jobs[0]["task"]["link"][0]["href"].endswith(f"/customer/tasks/{task_id}")
    assert cw.ok(cw.call("GET", "customer/jobs", task_id=other), "jobs") in (None, [])
    assert cw.ok(cw.call("GET", "customer/jobs", task_id="x"), "jobs") in (None, [])
    approve(cw, job_id)
    assert cw.ok(cw.call("GET", "customer/jobs"), "jobs") in (None, [])


def test_unknown_and_foreign_jobs_are_404(client: TestClient) -> None:
    alice, bob = Customer(client, "XML"), Customer(client, "JSON", user="bob")
    alice.add_template()
    _, job_id = waiting(alice)
    assert alice.refused(alice.call("GET", "customer/jobs/1"), "job", 404)
    assert bob.refused(bob.call("GET", f"customer/jobs/{job_id}"), "job", 404)
    assert bob.refused(bob.buyoff(job_id, {"accepted": "1"}), "job", 404)
    assert alice.job(job_id)["state"] == "open"


# -- approval ------------------------------------------------------------------------------------


def test_the_documented_approval_finishes_the_task_and_spends_the_money(
    cw: Customer, hooks: Hooks
) -> None:
    task_id, job_id = waiting(cw)
    written = {i["code"]: i["content"] for i in cw.job(job_id)["items"]}
    job = approve(cw, job_id)
    assert job["state"] == "accepted"
    task = cw.task(task_id)
    assert task["state"] == "finished"
    assert task["results"] == [{"code": c, "content": written[c]} for c in OUTPUTS]
    assert cw.account()["reserved_amount"] == "0.00"
    assert cw.account()["balance_amount"] == "998.43"
    cw.settle()
    assert hooks.events() == ["CUSTOMER_INPUT_REQUIRED", "TASK_COMPLETED"]


def test_an_approval_may_carry_unknown_and_legacy_items(cw: Customer) -> None:
    _, job_id = waiting(cw)
    legacy = {"accepted": " 1 ", "signoff": "yes", "spelling": "1", "style": "2", "grade_gr": "9"}
    assert put(cw, job_id, legacy)["state"] == "accepted"


def test_a_job_that_is_not_open_refuses_a_buyoff_with_409(cw: Customer) -> None:
    task_id, job_id = waiting(cw)
    approve(cw, job_id)
    assert cw.refused(cw.buyoff(job_id, {"accepted": "1"}), "job", 409)
    assert cw.refused(cw.buyoff(job_id, rejection()), "job", 409)
    assert cw.task(task_id)["state"] == "finished"


# -- refusals --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "named"),
    [
        ({}, {"accepted"}),
        ({"accepted": ""}, {"accepted"}),
        ({"accepted": "2"}, {"accepted"}),
        ({"accepted": "yes"}, {"accepted"}),
        (rejection(grade_gr=""), {"grade_gr"}),
        (rejection(grade_sppu="1"), {"grade_sppu"}),
        (rejection(grade_sest="5"), {"grade_sest"}),
        (rejection(grade_st="good"), {"grade_st"}),
        (rejection(grade_cocl_comment=""), {"grade_cocl_comment"}),
        (rejection(grade_foin="0", grade_foin_comment="  "), {"grade_foin_comment"}),
        (rejection(comment=""), {"comment"}),
        (rejection(comment="   "), {"comment"}),
        (rejection(grade_gr="1", grade_sein_comment="", comment=""),
         {"grade_gr", "grade_sein_comment", "comment"}),
    ],
)  # fmt: skip
def test_an_invalid_buyoff_is_422_naming_each_problem_and_changes_nothing(
    cw: Customer, hooks: Hooks, items: dict[str, str], named: set[str]
) -> None:
    task_id, job_id = waiting(cw)
    sent = len(hooks.requests)
    assert cw.refused(cw.buyoff(job_id, items), "job", 422) == named
    assert cw.job(job_id)["state"] == "open"
    assert "input" not in cw.job(job_id)
    assert cw.task(task_id)["state"] == "feedback"
    cw.advance(DAY)
    assert cw.task(task_id)["state"] == "feedback"
    assert len(hooks.requests) == sent


def test_a_rejection_missing_everything_names_all_fifteen_items(cw: Customer) -> None:
    _, job_id = waiting(cw)
    named = cw.refused(cw.buyoff(job_id, {"accepted": "0"}), "job", 422)
    assert named == {*GRADES, "comment"}
    low = {"accepted": "0", **dict.fromkeys(GRADES, "0")}
    named = cw.refused(cw.buyoff(job_id, low), "job", 422)
    assert named == {*(f"{g}_comment" for g in GRADES), "comment"}


def test_good_grades_need_no_comments(cw: Customer) -> None:
    _, job_id = waiting(cw)
    items = {"accepted": "0", **dict.fromkeys(GRADES, "3"), "comment": "More detail, please."}
    items["grade_gr"] = "4"
    assert put(cw, job_id, items)["state"] == "rejected"


# -- rejection, rework, cloning ----------------------------------------------------------------


def test_a_rejection_sends_the_text_back_to_the_same_worker_then_a_new_job(
    cw: Customer, hooks: Hooks
) -> None:
    task_id, first = waiting(cw)
    worker = worker_of(cw, task_id)
    before = {i["code"]: i["content"] for i in cw.job(first)["items"]}
    job = reject(cw, first)
    assert job["state"] == "rejected"
    assert {i["code"] for i in job["input"]["items"]} >= {"accepted", "comment", *GRADES}
    assert cw.task(task_id)["state"] == "in_progress"
    assert cw.account()["reserved_amount"] == "1.57"
    cw.advance(DAY)
    assert cw.task(task_id)["state"] == "feedback"
    second = cw.open_job(task_id)
    assert second != first
    assert worker_of(cw, task_id) == worker
    after = {i["code"]: i["content"] for i in cw.job(second)["items"]}
    assert after["paragraph_bottom"] != before["paragraph_bottom"]
    assert hooks.events() == ["CUSTOMER_INPUT_REQUIRED"] * 2
    jobs = [n["job"]["link"][0]["href"].rsplit("/", 1)[1] for n in hooks.notifications()]
    assert jobs == [first, second]
    approve(cw, second)
    task = cw.task(task_id)
    assert task["state"] == "finished"
    assert task["results"] == [{"code": c, "content": after[c]} for c in OUTPUTS]
    assert cw.job(first)["state"] == "rejected"


def test_a_second_rejection_cancels_and_clones_for_another_worker(
    cw: Customer, hooks: Hooks
) -> None:
    task_id, first = waiting(cw)
    reject(cw, first)
    cw.advance(DAY)
    reject(cw, cw.open_job(task_id))
    original = cw.task(task_id)
    assert original["state"] == "cancelled"
    clone_href = original["cloned_task"]["link"][0]["href"]
    clone_id = clone_href.rsplit("/", 1)[1]
    assert clone_href == f"{HOST}/customer/tasks/{clone_id}" and clone_id != task_id
    clone = cw.task(clone_id)
    assert clone["state"] == "new"
    assert clone["input"] == original["input"]
    assert clone["notifications"] == original["notifications"]
    assert clone["customer_ref"] == original["customer_ref"]
    assert clone["template"] == original["template"]
    assert cw.account() == {"balance_amount": "998.43", "reserved_amount": "1.57",
                            "credit_limit": "0.00", "currency_code": "EUR"}  # fmt: skip
    listed = cw.ok(cw.call("GET", "customer/tasks"), "tasks")
    assert [t["state"] for t in listed] == ["cancelled", "new"]

    cw.advance(DAY)
    assert worker_of(cw, clone_id) not in (None, worker_of(cw, task_id))
    job_id = cw.open_job(task_id)  # found through the original id
    assert cw.job(job_id)["task"]["link"][0]["href"].endswith(f"/tasks/{clone_id}")
    notification = hooks.notifications()[-1]
    assert notification["event"] == "CUSTOMER_INPUT_REQUIRED"
    assert notification["task"]["link"][0]["href"] == f"{HOST}/customer/tasks/{task_id}"
    assert notification["job"]["link"][0]["href"] == f"{HOST}/customer/jobs/{job_id}"
    written = {i["code"]: i["content"] for i in cw.job(job_id)["items"]}

    approve(cw, job_id)
    assert cw.task(task_id)["state"] == "cancelled"
    shown = cw.task(task_id, show_cloned_task="true")
    assert (shown["id"], shown["link"], shown["customer_ref"]) == (
        task_id, original["link"], original["customer_ref"])  # fmt: skip
    assert shown["state"] == "finished"
    assert shown["results"] == [{"code": c, "content": written[c]} for c in OUTPUTS]
    assert shown["cloned_task"]["link"][0]["href"] == clone_href
    assert cw.account() == {"balance_amount": "998.43", "reserved_amount": "0.00",
                            "credit_limit": "0.00", "currency_code": "EUR"}  # fmt: skip
    cw.settle()
    completed = hooks.notifications()[-1]
    assert completed["event"] == "TASK_COMPLETED"
    assert completed["customer_output"] == {c: written[c] for c in OUTPUTS}


def test_a_clone_declined_twice_is_cloned_again_and_the_flag_follows_the_chain(
    cw: Customer,
) -> None:
    task_id, job_id = waiting(cw)
    workers = []
    for _ in range(2):  # the original, then its clone, each declined twice
        workers.append(
            worker_of(cw, cw.world().tasks.newest(cw.world().tasks.get(int(task_id))).id)
        )
        reject(cw, job_id)
        cw.advance(DAY)
        reject(cw, cw.open_job(task_id))
        cw.advance(DAY)
        job_id = cw.open_job(task_id)
    newest = cw.world().tasks.newest(cw.world().tasks.get(int(task_id)))
    assert newest.id == int(task_id) + 2
    assert newest.worker_id not in workers and len(set(workers)) == 2
    approve(cw, job_id)
    shown = cw.task(task_id, show_cloned_task="true")
    assert shown["state"] == "finished"
    assert shown["cloned_task"]["link"][0]["href"].endswith(f"/tasks/{newest.id}")
    assert cw.task(task_id)["cloned_task"]["link"][0]["href"].endswith(f"/tasks/{int(task_id) + 1}")


def test_without_a_clone_the_flag_changes_nothing(cw: Customer) -> None:
    task_id = cw.create()["id"]
    assert cw.task(task_id, show_cloned_task="true") == cw.task(task_id)


# -- auto-approval -------------------------------------------------------------------------------


def test_an_unanswered_job_is_approved_after_seven_days(cw: Customer, hooks: Hooks) -> None:
    task_id, job_id = waiting(cw)
    opened = cw.world().tasks.job(int(job_id)).created_at
    now = cw.world().context.clock.now()
    cw.advance(opened + 7 * DAY - now - 1)
    assert cw.job(job_id)["state"] == "open"
    assert cw.task(task_id)["state"] == "feedback"
    cw.advance(1)
    assert cw.job(job_id)["state"] == "auto_accepted"
    task = cw.task(task_id)
    assert task["state"] == "finished"
    assert [r["code"] for r in task["results"]] == list(OUTPUTS)
    assert hooks.events() == ["CUSTOMER_INPUT_REQUIRED", "TASK_COMPLETED"]
    assert cw.account()["reserved_amount"] == "0.00"
    assert cw.refused(cw.buyoff(job_id, {"accepted": "1"}), "job", 409)


def test_a_rejected_job_is_never_auto_approved(cw: Customer) -> None:
    task_id, job_id = waiting(cw)
    reject(cw, job_id)
    cw.advance(8 * DAY)
    assert cw.job(job_id)["state"] == "rejected"
    second = cw.world().tasks.get(int(task_id)).jobs[-1]
    assert cw.job(second)["state"] == "auto_accepted"
    assert cw.task(task_id)["state"] == "finished"


def test_a_buyoff_item_without_a_code_is_left_out(cw: Customer) -> None:
    _, job_id = waiting(cw)
    body = {"input": {"items": [{"content": "0"}, {"code": "accepted", "content": "1"}]}}
    response = cw.call("PUT", f"customer/jobs/{job_id}", "job", body)
    assert cw.ok(response, "job")["state"] == "accepted"
