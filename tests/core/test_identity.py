"""Organisation numbers (Luhn) and the Peppol IDs built from them."""

from hypothesis import given
from hypothesis import strategies as st

from samkalk.core.identity import (
    luhn_valid,
    normalise_org_number,
    peppol_id_for,
    peppol_id_valid,
    vat_number_for,
)


def test_a_valid_org_number_is_normalised_with_its_hyphen():
    assert normalise_org_number("2120000019") == "212000-0019"
    assert normalise_org_number(" 212000-0019 ") == "212000-0019"


def test_a_wrong_check_digit_is_refused():
    assert normalise_org_number("212000-0018") is None
    assert normalise_org_number("21200-00019") is None
    assert normalise_org_number("abcdef-ghij") is None


def test_peppol_and_vat_ids():
    assert peppol_id_for("212000-0019") == "0007:2120000019"
    assert vat_number_for("212000-0019") == "SE212000001901"
    assert peppol_id_valid("0007:2120000019")
    assert not peppol_id_valid("0007:2120000018")
    assert not peppol_id_valid("7:123")
    assert peppol_id_valid("0088:7300010000001")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_exactly_one_check_digit_completes_nine_digits(stem):
    assert sum(luhn_valid(stem + str(d)) for d in range(10)) == 1
