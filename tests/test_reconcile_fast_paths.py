"""The float shortcuts of spaq.reconcile against the Decimal checks they stand in for."""
import math
import random
from decimal import Decimal

from spaq import reconcile
from spaq.reconcile import _within_a_share


def _decimal_within(shares, price, proceeds) -> bool:
    """The check of Builder._check_product, in Decimal: no finding."""
    return not abs(Decimal(shares) * Decimal(str(price)) - Decimal(str(proceeds))) > Decimal(str(price))


def _cases():
    rng = random.Random(6)
    for _ in range(20000):
        shares = rng.choice((rng.randrange(1, 10**4), rng.randrange(1, 10**8), rng.randrange(1, 2**53)))
        price = round(rng.uniform(0.0001, 100), rng.choice((2, 3, 4, 6, 12)))
        exact = Decimal(shares) * Decimal(str(price))
        # Right on the line, a hair either side of it, rounded, or far off.
        offset = rng.choice((Decimal(0), Decimal(str(price)), -Decimal(str(price)), Decimal(str(price)) * 2,
                             Decimal("0.01"), Decimal(str(rng.uniform(-2, 2) * price))))
        proceeds = float(exact + offset)
        yield shares, price, proceeds
        yield shares, price, math.nextafter(proceeds, math.inf)
        yield shares, price, math.nextafter(proceeds, -math.inf)
        yield shares, price, float(round(exact, rng.choice((0, 2))))
    for shares, price, proceeds in ((1, 0.0, 0.0), (5, -1.0, -5.0), (3, 1e-310, 3e-310), (10, 1e300, 1e301),
                                    (2**53, 1.0, 2.0**53), (-2**53 + 1, 1.0, -2.0**53 + 1), (1, math.inf, math.inf),
                                    (1, 1.0, math.nan), (1, math.nan, 1.0), (10**30, 1.0, 1e30), (True, 1.0, 1.0),
                                    (100, 1.5, 150), (100, 2, 200.0), (0, 0.5, 0.25), (0, 0.5, -0.75)):
        yield shares, price, proceeds


def test_within_a_share_only_when_decimal_agrees():
    said = 0
    for shares, price, proceeds in _cases():
        if _within_a_share(shares, price, proceeds):
            said += 1
            assert _decimal_within(shares, price, proceeds), (shares, price, proceeds)
    assert said > 20000          # it does stand in for most


def _decimal_sum(values):
    return float(sum(Decimal(str(v)) for v in values))


def test_money_sum_in_cents_is_the_decimal_sum():
    rng = random.Random(7)
    in_cents = 0
    for _ in range(20000):
        n = rng.choice((1, 2, 3, 10))
        vals = []
        for _ in range(n):
            kind = rng.randrange(6)
            if kind == 0:
                v = rng.randrange(10**13) / 100                   # cents, up to the bound
            elif kind == 1:
                v = float(rng.randrange(10**6))                   # whole dollars
            elif kind == 2:
                v = round(rng.uniform(0, 10**7), rng.choice((3, 4, 6)))   # more than two decimals
            elif kind == 3:
                v = math.nextafter(rng.randrange(10**9) / 100, rng.choice((math.inf, -math.inf)))
            elif kind == 4:
                v = rng.randrange(10**16, 10**17) / 100           # beyond the bound
            else:
                v = -rng.randrange(10**8) / 100
            vals.append(v)
        if reconcile._cents(vals) is not None:
            in_cents += 1
        assert reconcile._money_sum(vals) == _decimal_sum(vals) or math.isnan(_decimal_sum(vals)), vals
        assert str(reconcile._money_sum(vals)) == str(_decimal_sum(vals)), vals
    assert in_cents > 1000
    for vals in ([0.1, 0.2], [-0.0], [-0.0, 0.0], [0.005], [1e-05], [0.015, 0.025], [1e13 - 0.01], [9999999999999.99],
                 [1, 2.5], [True], [math.inf], [math.nan, 1.0], [1e300], [5e-324]):
        try:
            want = _decimal_sum(vals)
        except Exception as e:
            want = type(e)
        try:
            got = reconcile._money_sum(vals)
        except Exception as e:
            got = type(e)
        assert str(got) == str(want), vals
    assert reconcile._money_sum([None, None]) is None
