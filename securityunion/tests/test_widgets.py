from django import forms

from securityunion.casework.widgets import QuickSelect

CHOICES = [("", "---------"), ("BE", "Belgium"), ("FR", "France <&>")]


class _Form(forms.Form):
    quick = forms.ChoiceField(choices=CHOICES, widget=QuickSelect, required=False)
    plain = forms.ChoiceField(choices=CHOICES, widget=forms.Select, required=False)


def _options(html: str) -> list[str]:
    return [part.split(">")[0] for part in html.split("<option")[1:]]


def test_the_quick_select_writes_the_same_options_as_djangos():
    form = _Form(data={"quick": "FR", "plain": "FR"})
    quick, plain = str(form["quick"]), str(form["plain"])
    assert _options(quick) == _options(plain)
    assert 'name="quick"' in quick and 'id="id_quick"' in quick


def test_the_chosen_option_is_selected_and_labels_are_escaped():
    html = str(_Form(data={"quick": "FR"})["quick"])
    assert '<option value="FR" selected>France &lt;&amp;&gt;</option>' in html
    assert '<option value="BE">Belgium</option>' in html
