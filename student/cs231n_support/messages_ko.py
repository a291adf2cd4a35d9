"""The Korean templates of the messages the course's code gives a student: KO[english template] = korean template.

Written with ``i18n.t`` (see i18n.py): every template in a call ``t("...")`` in
cs231n_support and cs231n_course has an entry here with the same {fields}
(tests/test_editions.py checks it). The register is the plain written style
("~다"); terms follow docs/glossary.ko.md; code names, formulas and numbers
stay as they are.
"""

KO = {
    # grading.py
    "array of shape {shape} and dtype {dtype}":
        "shape {shape}, dtype {dtype}인 배열",
    "{what}: expected a number or an array of numbers, got a boolean {value!r}":
        "{what}: 숫자나 숫자 배열이어야 하는데 불리언 값({value!r})이 나왔다",
    "{what}: expected a NumPy array or a number, got {got}":
        "{what}: NumPy 배열이나 숫자여야 한다. 받은 값: {got}",
    "{what}: expected numbers, got an array of dtype {dtype}":
        "{what}: 숫자여야 하는데 dtype이 {dtype}인 배열이 나왔다",
    "Hint: the shape is the transpose of the expected one; check the order of a matrix product or a missing .T.":
        "힌트: shape가 기대한 shape의 전치다. 행렬 곱의 순서나 빠뜨린 .T를 확인한다.",
    "Hint: the right number of entries in the wrong shape; check a reshape or a missing axis= in a reduction.":
        "힌트: 원소 수는 맞지만 shape가 틀렸다. reshape나, 합이나 평균처럼 축을 줄이는 연산에서 빠뜨린 axis=를 "
        "확인한다.",
    "Hint: an extra dimension; did you forget to sum or average over an axis?":
        "힌트: 차원이 하나 더 있다. 어떤 축을 따라 합하거나 평균 내는 것을 빠뜨리지 않았는가?",
    "Hint: about N = {n} times too large: did you sum over the examples instead of averaging?":
        "힌트: 약 N = {n}배만큼 크다. 샘플에 대해 평균을 내는 대신 합하지 않았는가?",
    "Hint: about N = {n} times too small: did you divide by N twice?":
        "힌트: 약 N = {n}배만큼 작다. N으로 두 번 나누지 않았는가?",
    "Hint: exactly the negative of the expected value: check the sign.":
        "힌트: 기댓값과 부호만 정확히 반대다. 부호를 확인한다.",
    "Hint: off by a factor of exactly 2 (got {ratio:.3g} times the expected value); check the 0.5 in "
    "0.5*reg*sum(W**2) and its gradient reg*W.":
        "힌트: 정확히 2배만큼 어긋난다(기댓값의 {ratio:.3g}배). 0.5*reg*sum(W**2)의 0.5와 그 그래디언트 reg*W를 "
        "확인한다.",
    "Hint: proportional to the expected value (got {ratio:.4g} times it): a missing or extra constant factor?":
        "힌트: 기댓값에 비례한다(기댓값의 {ratio:.4g}배). 상수 인자를 빠뜨렸거나 하나 더 곱하지 않았는가?",
    "{name}: expected shape {expected}, got shape {got}.":
        "{name}: shape가 다르다. 기대한 shape는 {expected}, 받은 shape는 {got}이다.",
    "{name}: contains NaN or inf (first at index {index}) where a finite value was expected. Hint: a numerically "
    "unstable formula, e.g. exp of a large number, log(0) or 0/0.":
        "{name}: 유한한 값이 나와야 할 곳에 NaN이나 inf가 있다(처음 나온 곳: 인덱스 {index}). 힌트: 큰 수의 exp, "
        "log(0), 0/0처럼 수치적으로 불안정한 계산이 식에 있다.",
    "{name}: {n_bad} of {size} values differ from the expected ones; worst at index {index}: expected "
    "{expected:.6g}, got {got:.6g} (relative error {rel:.2g}, tolerance {rtol:g}).":
        "{name}: 값 {size}개 중 {n_bad}개가 기댓값과 다르다. 가장 크게 어긋난 인덱스 {index}에서 기댓값은 "
        "{expected:.6g}, 실제 값은 {got:.6g}이다(상대 오차 {rel:.2g}, 허용 오차 {rtol:g}).",
    "{name}: {n_bad} of {size} values differ from the expected ones; worst: expected {expected:.6g}, got {got:.6g} "
    "(relative error {rel:.2g}, tolerance {rtol:g}).":
        "{name}: 값 {size}개 중 {n_bad}개가 기댓값과 다르다. 기댓값은 {expected:.6g}, 실제 값은 {got:.6g}이다(상대 "
        "오차 {rel:.2g}, 허용 오차 {rtol:g}).",
    "Hint: exp() of a number above about 709 overflows; rewrite the formula so that exp only sees values <= 0 "
    "(np.where evaluates both of its branches on every entry).":
        "힌트: 약 709보다 큰 수의 exp()는 오버플로가 난다. exp가 0 이하의 값만 받도록 식을 고쳐 쓴다(np.where는 모든 "
        "원소에서 두 분기를 다 계산한다).",
    "Hint: log(0) or x/0; e.g. write log(1 + e^f) as np.logaddexp(0, f) instead of taking a log of a probability.":
        "힌트: log(0)이나 x/0이 계산되었다. 예를 들어 확률에 로그를 취하는 대신 log(1 + e^f)를 np.logaddexp(0, f)로 "
        "쓴다.",
    "Hint: a NaN was made, e.g. inf - inf, 0 * inf or 0/0; look for an overflow earlier in the formula.":
        "힌트: inf - inf, 0 * inf, 0/0 같은 계산에서 NaN이 생겼다. 식의 앞부분에서 오버플로가 나지 않았는지 살펴본다.",
    "{name}: expected a function, got {got}":
        "{name}: 함수여야 한다. 받은 값: {got}",
    "{name}: not implemented yet (it raised NotImplementedError).":
        "{name}: 아직 구현하지 않았다(NotImplementedError가 발생했다).",
    "{name}: raised {error_type}: {error}":
        "{name}: 예외가 발생했다. {error_type}: {error}",
    "{name}: NumPy warned '{warning}'. The function must be numerically stable for inputs up to |x| = 1000. {hint}":
        "{name}: NumPy가 '{warning}' 경고를 냈다. 이 함수는 |x| = 1000까지의 입력에서 수치적으로 안정적이어야 한다. "
        "{hint}",
    "{name}: your function modified its input argument #{number} in place; work on a copy instead.":
        "{name}: 작성한 함수가 {number}번째 입력 인자를 제자리에서 수정했다. 대신 복사본으로 작업해야 한다.",
    "{name}: expected a tuple of {n} values, got {got} of length {length}":
        "{name}: 값 {n}개의 튜플이어야 한다. 받은 값: 길이가 {length}인 {got}",
    "{name}: expected a tuple of {n} values, got {got}":
        "{name}: 값 {n}개의 튜플이어야 한다. 받은 값: {got}",
    "output {index}":
        "출력 {index}",
    "{name}: the gradient must have the shape of the variable, {expected}; got {got}.":
        "{name}: 그래디언트의 shape는 변수의 shape와 같아야 한다. 변수의 shape는 {expected}, 받은 shape는 {got}이다.",
    "{name}: relative error {err:.2g} between your gradient and the numerical one (accepted: <= {tol:g}); worst at "
    "index {index}: numerical {numerical:.6g}, yours {yours:.6g}.":
        "{name}: 작성한 그래디언트와 수치 그래디언트의 상대 오차가 {err:.2g}이다(허용 범위: <= {tol:g}). 가장 크게 "
        "어긋난 인덱스 {index}에서 수치 그래디언트는 {numerical:.6g}, 작성한 그래디언트는 {yours:.6g}이다.",
    "{name}: relative error {err:.2g} between your gradient and the numerical one (accepted: <= {tol:g}); worst: "
    "numerical {numerical:.6g}, yours {yours:.6g}.":
        "{name}: 작성한 그래디언트와 수치 그래디언트의 상대 오차가 {err:.2g}이다(허용 범위: <= {tol:g}). 수치 "
        "그래디언트는 {numerical:.6g}, 작성한 그래디언트는 {yours:.6g}이다.",
    # gradient_check.py
    "{name} must be a numpy array of dtype float64 (it is changed in place and restored), got {got}":
        "{name}: dtype이 float64인 numpy 배열이어야 한다(제자리에서 바뀌었다가 복원된다). 받은 값: {got}",
    "{name} has integer dtype {dtype}: a centred difference {name} +- h with h ~ 1e-5 is meaningless on integers. "
    "Pass {name}.astype(np.float64) instead.":
        "{name}의 dtype이 정수형 {dtype}이다. h ~ 1e-5인 중심 차분 {name} +- h는 정수에서 의미가 없다. 대신 "
        "{name}.astype(np.float64)를 넘긴다.",
    "{name} has dtype {dtype}, but gradient checks need float64: in lower precision the round-off in f({name} +- h) "
    "swamps the difference. Use float64, e.g. {name}.astype(np.float64).":
        "{name}의 dtype이 {dtype}인데, 그래디언트 검사에는 float64가 필요하다. 정밀도가 낮으면 f({name} +- h)의 "
        "반올림 오차가 차이를 덮어 버린다. {name}.astype(np.float64)처럼 float64를 쓴다.",
    "{name} is read-only; it must be writable (it is changed in place and restored)":
        "{name}: 읽기 전용이다. 쓸 수 있어야 한다(제자리에서 바뀌었다가 복원된다)",
    "{name} contains NaN or inf":
        "{name}에 NaN이나 inf가 들어 있다",
    "h must be a positive finite number, got {h!r}":
        "h는 유한한 양수여야 한다. 받은 값: {h!r}",
    "{name} has shape {shape}, but x has shape {x_shape}; they must be equal":
        "{name}의 shape는 {shape}인데 x의 shape는 {x_shape}이다. 둘이 같아야 한다",
    "f must return a scalar, got a tuple of length {length}; if your function returns (loss, grad), pass lambda x: "
    "fn(x)[0]":
        "f는 스칼라를 반환해야 하는데 길이가 {length}인 튜플을 반환했다. 함수가 (loss, grad)를 반환한다면 lambda x: "
        "fn(x)[0]을 넘긴다",
    "f must return a scalar, got an array of shape {shape}; for an array-valued f pass the upstream gradient df (see "
    "eval_numerical_gradient_array)":
        "f는 스칼라를 반환해야 하는데 shape가 {shape}인 배열을 반환했다. 배열을 반환하는 f라면 업스트림 그래디언트 "
        "df를 넘긴다(eval_numerical_gradient_array 참고)",
    "f(x) has shape {shape}, but df has shape {df_shape}; they must be equal":
        "f(x)의 shape는 {shape}인데 df의 shape는 {df_shape}이다. 둘이 같아야 한다",
    "f returned NaN or inf":
        "f가 NaN이나 inf를 반환했다",
    "relative error > 1e-2: the gradient is probably wrong":
        "상대 오차 > 1e-2: 그래디언트가 틀렸을 가능성이 크다",
    "1e-2 >= relative error > 1e-4: this should make you uncomfortable":
        "1e-2 >= 상대 오차 > 1e-4: 마음을 놓을 수 없는 수준이다",
    "1e-4 >= relative error > 1e-7: usually okay for an objective with kinks":
        "1e-4 >= 상대 오차 > 1e-7: 꺾임점이 있는 목적 함수라면 대개 괜찮다",
    "1e-4 >= relative error > 1e-7: too high for an objective without kinks":
        "1e-4 >= 상대 오차 > 1e-7: 꺾임점이 없는 목적 함수라면 너무 크다",
    "relative error <= 1e-7: you should be happy":
        "상대 오차 <= 1e-7: 만족해도 된다",
    "rel_error: x has shape {x_shape} and y has shape {y_shape}; they must be equal":
        "rel_error: x의 shape는 {x_shape}, y의 shape는 {y_shape}이다. 둘이 같아야 한다",
    "num_checks must be a positive integer, got {num_checks!r}":
        "num_checks는 양의 정수여야 한다. 받은 값: {num_checks!r}",
    "x is a dict with keys {keys}, so analytic_grad must be a dict with the same keys, got {got}":
        "x가 dict(키: {keys})이므로 analytic_grad도 키가 같은 dict여야 한다. 받은 값: {got}",
    "analytic gradient of {label}":
        "{label}의 해석적 그래디언트",
    "numerical: {numerical:f} analytic: {analytic:f}, relative error: {err:e}":
        "수치: {numerical:f} 해석적: {analytic:f}, 상대 오차: {err:e}",
    "gradient check: {verdict} -- max relative error {err:.2e} at index {index} (h = {h:g})":
        "그래디언트 검사: {verdict} -- 최대 상대 오차 {err:.2e}, 인덱스 {index} (h = {h:g})",
    "at {index}: numeric {numeric:.6e}, analytic {analytic:.6e}":
        "인덱스 {index}: 수치 그래디언트 {numeric:.6e}, 해석적 그래디언트 {analytic:.6e}",
    "kinks crossed at {count} entries: {shown} and {more} more (judged against the one-sided slopes there)":
        "원소 {count}개에서 꺾임점을 지났다: {shown} 외 {more}개 (그곳에서는 한쪽 기울기와 비교했다)",
    "kinks crossed at {count} entries: {shown} (judged against the one-sided slopes there)":
        "원소 {count}개에서 꺾임점을 지났다: {shown} (그곳에서는 한쪽 기울기와 비교했다)",
    "no kinks crossed":
        "꺾임점을 지나지 않았다",
    "hint: the worst entry is tiny next to the largest ({largest:.2e}); round-off in f(x +- h) may explain its "
    "relative error":
        "힌트: 가장 크게 어긋난 원소가 가장 큰 원소({largest:.2e})에 비해 아주 작다. 그 상대 오차는 f(x +- h)의 "
        "반올림 오차 때문일 수 있다",
    "hint: re-run with h = 1e-4 and h = 1e-6: an error due to the step size changes with h, a bug's does not":
        "힌트: h = 1e-4와 h = 1e-6으로 다시 실행해 본다. 스텝 크기 때문에 생긴 오차는 h에 따라 바뀌지만, 버그 때문에 "
        "생긴 오차는 바뀌지 않는다",
    "directional check: {verdict} -- max relative error {err:.2e} over {count} random directions (h = {h:g})":
        "방향 검사: {verdict} -- 무작위 방향 {count}개에서 최대 상대 오차 {err:.2e} (h = {h:g})",
    "direction {k}: numeric {numeric:.6e}, analytic {analytic:.6e}, relative error {err:.2e}":
        "방향 {k}: 수치 {numeric:.6e}, 해석적 {analytic:.6e}, 상대 오차 {err:.2e}",
    "num_directions must be a positive integer, got {num_directions!r}":
        "num_directions는 양의 정수여야 한다. 받은 값: {num_directions!r}",
    "x is empty: there is no direction to check":
        "x가 비어 있다. 검사할 방향이 없다",
    # validate.py
    "{path}: no such notebook":
        "{path}: 그런 노트북이 없다",
    "validate needs nbgrader: pip install 'cs231n-support[lab]' (or use the Validate button of JupyterLab's "
    "Assignments panel)":
        "validate에는 nbgrader가 필요하다. pip install 'cs231n-support[lab]' 명령으로 설치한다(또는 JupyterLab "
        "Assignments 패널의 Validate 버튼을 쓴다)",
    "(no message)":
        "(메시지 없음)",
    "- a test failed: {first_line}\n"
    "    {error}":
        "- 테스트가 실패했다: {first_line}\n"
        "    {error}",
    "- a read-only test cell was changed; restore it from the release: {start!r}":
        "- 읽기 전용 테스트 셀이 바뀌었다. 배포본에서 원래대로 되돌린다: {start!r}",
    "- a cell's type was changed from {old_type} to {new_type}":
        "- 셀 유형이 바뀌었다: {old_type} -> {new_type}",
    "{notebook}: every visible test passes (hidden tests run when it is graded).":
        "{notebook}: 보이는 테스트를 모두 통과한다(숨겨진 테스트는 채점할 때 실행된다).",
    "{notebook}: {count} problem(s):":
        "{notebook}: 문제 {count}개:",
    # __main__.py
    "The CS231n foundations course: a student's commands.":
        "CS231n 기초 강좌: 학생용 명령.",
    "run a notebook's visible tests before submitting":
        "제출하기 전에 노트북의 보이는 테스트를 실행한다",
    "download and verify CIFAR-10 (170 MB) into the data cache":
        "CIFAR-10(170 MB)을 데이터 캐시에 내려받고 검증한다",
    "where to put it (default: $CS231N_DATA, else ~/.cache/cs231n)":
        "내려받을 위치(기본값: $CS231N_DATA, 없으면 ~/.cache/cs231n)",
    "CIFAR-10 is ready in {folder}":
        "CIFAR-10이 준비되었다: {folder}",
    # _engine.py
    "{name}: unknown activation {activation!r}; expected one of {expected}":
        "{name}: 알 수 없는 활성화 함수 {activation!r}. 다음 중 하나여야 한다: {expected}",
    "{name}: X must be 2-D (N, D), one example per row; got shape {shape}":
        "{name}: X는 한 행에 샘플이 하나씩 있는 2차원 배열 (N, D)여야 한다. 받은 shape: {shape}",
    "{name}: params must be a non-empty list of (W, b) pairs, one per layer; got {got}":
        "{name}: params는 층마다 하나씩인 (W, b) 쌍의 리스트여야 하고, 비어 있으면 안 된다. 받은 값: {got}",
    "{name}: layer {i} (params[{index}]) must be a pair (W, b)":
        "{name}: 층 {i}(params[{index}]): (W, b) 쌍이어야 한다",
    "layer {i}":
        "층 {i}",
    "{name}: layer {i} (params[{index}]) has W of shape {W}, but it receives {fan_in} inputs from {source}; W must "
    "have shape ({fan_in}, M)":
        "{name}: 층 {i}(params[{index}])의 W는 shape가 {W}인데, 이 층은 {source}에서 입력을 {fan_in}개 받는다. W의 "
        "shape는 ({fan_in}, M)이어야 한다",
    "{name}: layer {i} (params[{index}]) has b of shape {b}; expected ({M},) to match its W {W}":
        "{name}: 층 {i}(params[{index}])의 b는 shape가 {b}이다. 이 층의 W {W}에 맞으려면 ({M},)이어야 한다",
    "a tuple of {length} with shapes {shapes}":
        "원소가 {length}개인 튜플(shape {shapes})",
    "{name}: data_loss(scores, targets) must return (loss, dscores) with dscores shaped like the scores {shape}; got "
    "{got}":
        "{name}: data_loss(scores, targets)는 (loss, dscores)를 반환해야 하고, dscores의 shape는 점수의 "
        "shape({shape})와 같아야 한다. 받은 값: {got}",
    "{name}: X must be 2-D (N, D); got shape {shape}":
        "{name}: X는 2차원 배열 (N, D)여야 한다. 받은 shape: {shape}",
    "{name}: y must be an integer array of shape ({N},), one label per row of X; got {dtype} array of shape {shape}":
        "{name}: y는 X의 행마다 레이블이 하나씩 있는, shape가 ({N},)인 정수 배열이어야 한다. 받은 값: shape가 "
        "{shape}인 {dtype} 배열",
    "{name}: labels must be in 0..{last} (the net has {n_classes} outputs); got labels from {low} to {high}":
        "{name}: 레이블은 0..{last} 범위에 있어야 한다(신경망의 출력이 {n_classes}개다). 받은 레이블은 {low}부터 "
        "{high}까지다",
    # training.py
    "batch norm":
        "배치 정규화",
    "dropout":
        "드롭아웃",
    "init_mlp: layer_sizes needs at least an input and an output size; got {sizes!r}":
        "init_mlp: layer_sizes에는 적어도 입력 크기와 출력 크기가 있어야 한다. 받은 값: {sizes!r}",
    "init_mlp: layer sizes must be positive integers; got {sizes!r}":
        "init_mlp: 층의 크기는 양의 정수여야 한다. 받은 값: {sizes!r}",
    "init_mlp: unknown scheme {scheme!r}; expected one of {expected}":
        "init_mlp: 알 수 없는 초기화 방식 {scheme!r}. 다음 중 하나여야 한다: {expected}",
    "mlp_loss: give either loss (a name) or data_loss (a function), not both; got loss={loss!r}":
        "mlp_loss: loss(이름)와 data_loss(함수) 중 하나만 주어야 한다. 받은 값: loss={loss!r}",
    "mlp_loss: data_loss must be a function (scores, targets) -> (loss, dscores); got {got}":
        "mlp_loss: data_loss는 (scores, targets) -> (loss, dscores)인 함수여야 한다. 받은 값: {got}",
    "mlp_loss: unknown loss {loss!r}; expected one of {expected}":
        "mlp_loss: 알 수 없는 손실 {loss!r}. 다음 중 하나여야 한다: {expected}",
    "mlp_loss: the targets must have one row per row of X ({N}); got shape {shape}":
        "mlp_loss: 타깃은 X의 행마다 한 행씩, 모두 {N}행이어야 한다. 받은 shape: {shape}",
    "make_fcnet: {asked} needs your own {label} layer (the exercise of {notebook}; the trainer has none): pass "
    "layers={{{key!r}: {what}}}":
        "make_fcnet: {asked}에는 직접 작성한 {label} 층이 필요하다({notebook}의 실습이며, 트레이너에는 없다). "
        "다음처럼 넘긴다: layers={{{key!r}: {what}}}",
    "make_fcnet: layers[{key!r}] must be the pair of functions {what}; got {pair!r}":
        "make_fcnet: layers[{key!r}]의 값은 함수 쌍 {what}이어야 한다. 받은 값: {pair!r}",
    "make_fcnet: unknown activation {activation!r}; expected one of {expected}":
        "make_fcnet: 알 수 없는 활성화 함수 {activation!r}. 다음 중 하나여야 한다: {expected}",
    "make_fcnet: dropout is the probability of keeping a unit, in (0, 1]; got {dropout!r}":
        "make_fcnet: dropout은 유닛을 남길 확률(유지 확률)이므로 (0, 1] 범위에 있어야 한다. 받은 값: {dropout!r}",
    "make_fcnet: layers must be a dict with the keys 'batchnorm' and/or 'dropout'; got {layers!r}":
        "make_fcnet: layers는 키가 'batchnorm'이나 'dropout'(또는 둘 다)인 dict여야 한다. 받은 값: {layers!r}",
    "make_fcnet: your {function} must return {expected}; got {got}":
        "make_fcnet: 작성한 {function} 함수는 {expected}를 반환해야 한다. 받은 값: {got}",
    "train: params must be a list of (W, b) pairs (it is updated in place); got {got}":
        "train: params는 (W, b) 쌍의 리스트여야 한다(제자리에서 갱신된다). 받은 값: {got}",
    "train: reg is used by the default mlp_loss only; with a loss_fn, put the regularization into the loss_fn (e.g. "
    "make_fcnet(..., reg={reg!r})); got reg={reg!r}":
        "train: reg는 기본 mlp_loss에서만 쓴다. loss_fn을 쓸 때는 규제를 loss_fn 안에 넣는다(예: make_fcnet(..., "
        "reg={reg!r})). 받은 값: reg={reg!r}",
    "train: data_loss is used by the default mlp_loss only; with a loss_fn, apply it inside the loss_fn":
        "train: data_loss는 기본 mlp_loss에서만 쓴다. loss_fn을 쓸 때는 loss_fn 안에서 적용한다",
    "train: lr must be a positive number; got {lr!r}":
        "train: lr(학습률)은 양수여야 한다. 받은 값: {lr!r}",
    "train: record_every must be a positive integer; got {record_every!r}":
        "train: record_every는 양의 정수여야 한다. 받은 값: {record_every!r}",
    # trees.py
    "balanced_tree_codes: C must be an integer >= 2; got {C!r}":
        "balanced_tree_codes: C는 2 이상의 정수여야 한다. 받은 값: {C!r}",
    # data.py
    "To download it (about 163 MiB, once), run\n"
    "    python -m cs231n_support download-cifar10\n"
    "in a terminal, or call load_cifar10(download=True) in Python.":
        "내려받으려면(약 163 MiB, 한 번만) 터미널에서 다음 명령을 실행한다.\n"
        "    python -m cs231n_support download-cifar10\n"
        "또는 Python에서 load_cifar10(download=True)를 호출한다.",
    "Could not read the CIFAR-10 file {path} ({error_type}: {error}). It is truncated or corrupted: delete the "
    "folder {folder} and get the data set again.\n"
    "{how_to_download}":
        "CIFAR-10 파일을 읽을 수 없다: {path} ({error_type}: {error}). 파일이 잘렸거나 손상되었으니 {folder} 폴더를 "
        "지우고 데이터 세트를 다시 받는다.\n"
        "{how_to_download}",
    "{path}: expected a pickled dict, got {got}.":
        "{path}: pickle된 dict여야 한다. 받은 값: {got}.",
    "{path}: the pickled dict has no key {key!r} (keys found: {found}).":
        "{path}: pickle된 dict에 {key!r} 키가 없다(있는 키: {found}).",
    "{path}: expected b'data' to be a uint8 array of shape (n, 3072), got {dtype} of shape {shape}.":
        "{path}: b'data'는 shape가 (n, 3072)인 uint8 배열이어야 한다. 받은 값: shape가 {shape}인 {dtype} 배열.",
    "{path}: expected {n} integer labels, got {dtype} of shape {shape}.":
        "{path}: 정수 레이블이 {n}개 있어야 한다. 받은 값: shape가 {shape}인 {dtype} 배열.",
    "{path}: labels must lie in 0..9, found {low}..{high}.":
        "{path}: 레이블은 0..9 범위에 있어야 하는데 {low}..{high} 범위의 레이블이 있다.",
    "{path} holds {n} images but {first} holds {n_first}; all batches must be equal.":
        "{path}에는 이미지가 {n}개, {first}에는 {n_first}개 있다. 모든 배치의 이미지 수가 같아야 한다.",
    "CIFAR-10 was not found in {folder} (missing: {missing}).\n"
    "{how_to_download}\n"
    "To keep it elsewhere, set the environment variable CS231N_DATA or pass root=...":
        "{folder}에서 CIFAR-10을 찾지 못했다(없는 파일: {missing}).\n"
        "{how_to_download}\n"
        "다른 곳에 두려면 환경 변수 CS231N_DATA를 설정하거나 root=...를 넘긴다.",
    "CIFAR-10 train":
        "CIFAR-10 훈련 세트",
    "CIFAR-10 test":
        "CIFAR-10 테스트 세트",
    "{path}: expected 10 label names, got {n}.":
        "{path}: 레이블 이름이 10개여야 하는데 {n}개다.",
    "{name} must be an integer >= {minimum}, got {value!r}.":
        "{name} 값은 {minimum} 이상의 정수여야 한다. 받은 값: {value!r}.",
    "num_training + num_validation = {asked} but there are only {n} training images.":
        "num_training + num_validation = {asked}인데 훈련 이미지는 {n}개뿐이다.",
    "num_test = {asked} but there are only {n} test images.":
        "num_test = {asked}인데 테스트 이미지는 {n}개뿐이다.",
    "{archive}: refusing to unpack member {member!r} (absolute path or '..').":
        "{archive}: 절대 경로이거나 '..'이 들어 있는 항목이라 풀지 않는다: {member!r}",
    "{archive}: refusing to unpack member {member!r} (not a regular file or folder).":
        "{archive}: 일반 파일이나 폴더가 아닌 항목이라 풀지 않는다: {member!r}",
    "Downloading CIFAR-10":
        "CIFAR-10 내려받는 중",
    "{folder} exists but does not hold all of {files}. Delete it and try again.":
        "{folder} 폴더가 있지만 {files} 파일이 다 들어 있지는 않다. 폴더를 지우고 다시 시도한다.",
    "Downloading {url} failed ({error}). Nothing was kept. You can also download the file by hand and unpack it into "
    "{parent}.":
        "{url} 다운로드에 실패했다({error}). 아무것도 남기지 않았다. 파일을 직접 내려받아 {parent}에 풀어도 된다.",
    "Downloaded {n_bytes} bytes from {url} but expected {size}: the download is incomplete or not CIFAR-10. Nothing "
    "was kept.":
        "{url}에서 {n_bytes}바이트를 받았는데 {size}바이트여야 한다. 다운로드가 덜 되었거나 CIFAR-10이 아니다. "
        "아무것도 남기지 않았다.",
    "The MD5 of the file downloaded from {url} is {digest} but expected {md5}: it is corrupted. Nothing was kept.":
        "{url}에서 받은 파일의 MD5가 {digest}이다. 기대한 값은 {md5}이므로 파일이 손상되었다. 아무것도 남기지 않았다.",
    "Unpacking":
        "압축 푸는 중",
    "The archive from {url} does not contain {folder}/ with {files}.":
        "{url}에서 받은 압축 파일에 {files} 파일이 든 {folder}/ 폴더가 없다.",
    "noise must be >= 0, got {noise!r}.":
        "noise는 0 이상이어야 한다. 받은 값: {noise!r}.",
    "scikit-learn is needed for the offline data sets.":
        "오프라인 데이터 세트에는 scikit-learn이 필요하다.",
    "{path} is not in this scikit-learn installation.":
        "설치된 scikit-learn에 {path} 파일이 없다.",
    "size must be an integer in 1..{largest}, got {size!r}.":
        "size는 1..{largest} 범위의 정수여야 한다. 받은 값: {size!r}.",
    "n = {n} but CIFAR-10 has only {count} training images.":
        "n = {n}인데 CIFAR-10의 훈련 이미지는 {count}개뿐이다.",
    "matplotlib is needed for its sample photograph.":
        "예제 사진을 쓰려면 matplotlib이 필요하다.",
    "{path} is not in this matplotlib installation.":
        "설치된 matplotlib에 {path} 파일이 없다.",
    "None of the offline photographs ({photos}) is installed; reinstall scikit-learn and matplotlib.":
        "오프라인 사진({photos})이 하나도 설치되어 있지 않다. scikit-learn과 matplotlib을 다시 설치한다.",
    "{name} from {package}":
        "{package}의 {name}",
    "{why}, so the splits are cut from {n_photos} photographs ({names}), which give only {available} non-overlapping "
    "{size}x{size} patches; you asked for n_train + n_val + n_test = {asked}. Ask for at most {available} in total, "
    "use smaller patches (size={smaller} gives {smaller_available}), or download CIFAR-10.\n"
    "{how_to_download}":
        "{why} 세 세트를 사진 {n_photos}장({names})에서 잘라 내는데, 이 사진들에서는 서로 겹치지 않는 {size}x{size} "
        "조각이 {available}개만 나온다. 요청한 수는 n_train + n_val + n_test = {asked}이다. 모두 합쳐 {available}개 "
        "이하로 요청하거나, 더 작은 조각을 쓰거나(size={smaller}이면 {smaller_available}개), CIFAR-10을 내려받는다.\n"
        "{how_to_download}",
    "{why}, so the splits are cut from {n_photos} photographs ({names}), which give only {available} non-overlapping "
    "{size}x{size} patches; you asked for n_train + n_val + n_test = {asked}. Ask for at most {available} in total, "
    "use smaller patches, or download CIFAR-10.\n"
    "{how_to_download}":
        "{why} 세 세트를 사진 {n_photos}장({names})에서 잘라 내는데, 이 사진들에서는 서로 겹치지 않는 {size}x{size} "
        "조각이 {available}개만 나온다. 요청한 수는 n_train + n_val + n_test = {asked}이다. 모두 합쳐 {available}개 "
        "이하로 요청하거나, 더 작은 조각을 쓰거나, CIFAR-10을 내려받는다.\n"
        "{how_to_download}",
    "photo patches: non-overlapping {size}x{size} crops of {n_photos} photographs ({names}; from {packages}); train, "
    "validation and test from separate regions":
        "photo patches: 사진 {n_photos}장({names}; {packages} 제공)에서 서로 겹치지 않게 잘라 낸 {size}x{size} 조각. "
        "훈련, 검증, 테스트 세트는 사진의 서로 다른 영역에서 가져왔다",
    "n_train + n_val = {asked} but CIFAR-10 has only {count} training images.":
        "n_train + n_val = {asked}인데 CIFAR-10의 훈련 이미지는 {count}개뿐이다.",
    "n_test = {asked} but CIFAR-10 has only {count} test images.":
        "n_test = {asked}인데 CIFAR-10의 테스트 이미지는 {count}개뿐이다.",
    "CIFAR-10: train and validation from the training batches (no image in both), test from the test batch":
        "CIFAR-10: 훈련 세트와 검증 세트는 훈련 배치에서(두 세트에 함께 든 이미지는 없다), 테스트 세트는 테스트 "
        "배치에서 가져왔다",
    "CIFAR-10 images are 32x32 and size = {size}":
        "CIFAR-10 이미지는 32x32인데 size = {size}이므로",
    "CIFAR-10 is not on disk":
        "CIFAR-10이 디스크에 없으므로",
    "CIFAR-10 is not on disk, so the {n} digits are used, but num_training + num_validation + num_test = {total}. "
    "Ask for fewer examples, or download CIFAR-10.\n"
    "{how_to_download}":
        "CIFAR-10이 디스크에 없어서 손글씨 숫자 {n}개를 쓰는데, num_training + num_validation + num_test = "
        "{total}이다. 샘플을 더 적게 요청하거나 CIFAR-10을 내려받는다.\n"
        "{how_to_download}",
    # plotting.py
    "X must have shape (N, 2), got {shape}.":
        "X의 shape는 (N, 2)여야 한다. 받은 shape: {shape}.",
    "y must hold {N} integer labels, got {dtype} of shape {shape}.":
        "y에는 정수 레이블이 {N}개 있어야 한다. 받은 값: shape가 {shape}인 {dtype} 배열.",
    "predict must return ({M},) labels or ({M}, C) scores, got shape {shape}.":
        "predict는 레이블 ({M},)이나 점수 ({M}, C)를 반환해야 한다. 받은 shape: {shape}.",
    "images must have shape (K, H, W, 3) or (K, H, W), got {shape}.":
        "images의 shape는 (K, H, W, 3)이나 (K, H, W)여야 한다. 받은 shape: {shape}.",
    "{k} images do not fit in a {nrows} x {ncols} grid.":
        "이미지 {k}장이 {nrows} x {ncols} 격자에 다 들어가지 않는다.",
    "got {n_titles} titles for {k} images.":
        "이미지는 {k}장인데 제목은 {n_titles}개다.",
    "with normalize=False the images must lie in [0, 1] (or be uint8), got {low:g}..{high:g}.":
        "normalize=False이면 이미지 값이 [0, 1] 범위에 있어야 한다(또는 uint8이어야 한다). 받은 범위: "
        "{low:g}..{high:g}.",
    "curves must be a non-empty dict name -> sequence of values.":
        "curves는 이름 -> 값 시퀀스 꼴의, 비어 있지 않은 dict여야 한다.",
    "curve {name!r} must be 1-D, got shape {shape}.":
        "곡선 {name!r}: 1차원이어야 한다. 받은 shape: {shape}.",
    "iteration":
        "반복",
    "loss":
        "손실",
    "x_range must be (low, high) with low < high, got {x_range}.":
        "x_range는 low < high인 (low, high)여야 한다. 받은 값: {x_range}.",
    "{name} must map shape {shape} to {shape}, got {got}.":
        "{name}: shape가 {shape}인 입력에 shape가 {shape}인 출력을 내야 한다. 받은 shape: {got}.",
    # i18n.py
    "the Korean edition draws Hangul with the font NanumGothic from the package koreanize-matplotlib: pip install "
    "'cs231n-support[ko]' (or koreanize-matplotlib)":
        "한국어판은 koreanize-matplotlib 패키지에 든 NanumGothic 글꼴로 한글을 그린다. pip install "
        "'cs231n-support[ko]'(또는 koreanize-matplotlib) 명령으로 설치한다",
    # sealed.py
    "# (hidden tests: run by the autograder, not shown)":
        "# (숨겨진 테스트: 자동 채점기가 실행하며, 여기에는 보이지 않는다)",
    "the submitted notebook could not be read: {error}":
        "제출한 노트북을 읽을 수 없다: {error}",
    "not run: this notebook's time budget ({budget:g} s) was used up":
        "실행하지 않았다: 이 노트북의 시간 예산({budget:g}초)을 다 썼다",
    "not run: {why}":
        "실행하지 않았다: {why}",
    "cell {number}":
        "셀 {number}",
    "solution cell {grade_id}":
        "풀이 셀 {grade_id}",
    "{name} raised {error}":
        "{name}에서 예외가 발생했다: {error}",
    "the grader could not start its sandbox: {error}":
        "채점기가 샌드박스를 시작하지 못했다: {error}",
    "the sandbox could not start again: {error}":
        "샌드박스를 다시 시작하지 못했다: {error}",
    "the sandbox could not run your solution cells again: {error}":
        "샌드박스가 풀이 셀을 다시 실행하지 못했다: {error}",
    "Passed.":
        "통과했다.",
    "the test did not finish within this notebook's time budget":
        "이 노트북의 시간 예산 안에 테스트가 끝나지 않았다",
    "{name} is not defined in your notebook (or its cell raised an error)":
        "{name}: 노트북에 정의되어 있지 않다(또는 그 셀에서 오류가 났다)",
    "a check failed":
        "검사 하나가 실패했다",
    # sandbox.py
    "starting the sandbox":
        "샌드박스 시작",
    "the sandbox is not running (an earlier call crashed or timed out)":
        "샌드박스가 실행 중이 아니다(앞선 호출이 비정상 종료되었거나 시간을 초과했다)",
    "your code":
        "작성한 코드",
    "{what} did not finish within {timeout:.3g} s (an infinite loop?)":
        "{what}: {timeout:.3g}초 안에 끝나지 않았다(무한 루프인가?)",
    "the sandbox could not start ({error})":
        "샌드박스를 시작할 수 없었다({error})",
    "the process running it crashed (killed by {signal}; out of memory, out of CPU time or a fault in native code?)":
        "실행하던 프로세스가 비정상 종료되었다({signal} 신호로 종료됨. 메모리나 CPU 시간이 부족했거나 네이티브 "
        "코드에서 오류가 났는가?)",
    "the process running it stopped unexpectedly (exit code {code}; {last})":
        "실행하던 프로세스가 예기치 않게 멈췄다(종료 코드 {code}; {last})",
    # hidden_tests.py
    "{name}: must return a pair (out, cache); got {got}":
        "{name}: (out, cache) 쌍을 반환해야 한다. 받은 값: {got}",
    # feedback_page.py
    "error":
        "오류",
    "Failed: {reason}":
        "실패: {reason}",
    "(Score: ":
        "(점수: ",
    "Grade cell: ":
        "채점 셀: ",
    "Written response":
        "서술형 답",
    "Comment":
        "의견",
    "(Top)":
        "(맨 위)",
    # sealed.py: the name of a test's error output ("Failed: why") and of a cell not run
    "Failed":
        "실패",
    "NotRun":
        "실행되지_않음",
    # sandbox_child.py: what graded code may not do (the sealed grader's refusals)
    "os._exit is not allowed in graded code":
        "채점되는 코드에서는 os._exit를 쓸 수 없다",
    "graded code may not inspect the garbage collector's objects":
        "채점되는 코드는 가비지 컬렉터의 객체를 들여다볼 수 없다",
    "graded code may not open {path}":
        "채점되는 코드는 {path} 파일을 열 수 없다",
    "graded code may not use the network":
        "채점되는 코드는 네트워크를 쓸 수 없다",
    "graded code may not start processes":
        "채점되는 코드는 프로세스를 시작할 수 없다",
    "graded code may not use ctypes":
        "채점되는 코드는 ctypes를 쓸 수 없다",
    "graded code may not signal other processes":
        "채점되는 코드는 다른 프로세스에 시그널을 보낼 수 없다",
}
