"""What crosses between the grader and a sandbox: plain data only, checked on arrival."""
import copy
from collections import namedtuple
from dataclasses import dataclass

import numpy as np
import pytest

from cs231n_course import wire
from cs231n_course.sealed import clean_outputs


def roundtrip(value):
    handles = []
    return wire.decode(wire.encode(value, handles), lambda h: ("handle", handles[h["__handle__"]])), handles


@pytest.mark.parametrize("value", [1, 2.5, "s", None, True, np.float64(3.0), np.arange(6.0).reshape(2, 3),
                                   (1, [2, {"a": np.int32(4)}]), np.random.default_rng(3)])
def test_plain_data_travels_as_itself(value):
    back, handles = roundtrip(value)
    assert not handles and type(back) is type(value)
    if isinstance(value, np.random.Generator):
        assert back.random() == np.random.default_rng(3).random()
    else:
        assert repr(back) == repr(value)


@dataclass
class Cache:
    x: np.ndarray


@pytest.mark.parametrize("value", [namedtuple("C", "x")(np.ones(2)), Cache(np.ones(2)), lambda: 1,
                                   {1: "non-string key"}, [np.ones(2), Cache(np.ones(1))]])
def test_anything_else_stays_in_the_sandbox_as_a_handle(value):
    back, handles = roundtrip(value)
    assert handles, back
    assert "handle" in repr(back)


def test_a_handle_survives_the_graders_deep_copies():
    h = wire.Handle(sandbox=None, id=3, type_name="Cache", is_callable=False)
    assert copy.deepcopy(h) is h and copy.copy(h) is h and copy.deepcopy((h, [h]))[0] is h


@pytest.mark.parametrize("message", [{"__nd__": ["|O", [1], "AAAAAAAAAAA="]}, {"__rng__": ["seed", {}]},
                                     {"__nd__": ["<f8", [3], "AAAAAAAAAAA="]}, {"__evil__": 1}])
def test_the_grader_refuses_what_a_hostile_sandbox_could_send(message):
    with pytest.raises(ValueError):
        wire.decode(message)


def test_only_text_and_png_outputs_reach_the_autograded_notebook():
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    outputs = [{"output_type": "display_data", "data": {"text/html": "<script>steal()</script>", "text/plain": "x",
                                                        "image/png": png}},
               {"output_type": "display_data", "data": {"image/png": "PHN2Zz4="}},        # not a PNG
               {"output_type": "stream", "name": "stdout", "text": "hi", "extra": 1},
               {"output_type": "javascript"}, "junk"]
    clean = clean_outputs(outputs)
    assert [o["output_type"] for o in clean] == ["display_data", "display_data", "stream"]
    assert clean[0]["data"] == {"text/plain": "x", "image/png": png} and clean[1]["data"] == {"text/plain": ""}
    assert "extra" not in clean[2]
