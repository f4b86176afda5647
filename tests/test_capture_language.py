"""The language of a text: by script and frequent words, the py3langid model when unsure."""

from __future__ import annotations

import pytest

from clipper.capture import language
from clipper.capture.language import detect_language, dominant_script, guess_by_words

SAMPLES = {
    "en": "The city council voted on Thursday to build a new tram line, and the mayor said it "
    "would be finished by the end of the decade.",
    "de": "Der Stadtrat hat am Donnerstag beschlossen, eine neue Straßenbahnlinie zu bauen, "
    "die bis zum Ende des Jahrzehnts fertig sein soll.",
    "fr": "Le conseil municipal a voté jeudi la construction d'une nouvelle ligne de tramway "
    "qui sera terminée avant la fin de la décennie.",
    "es": "El ayuntamiento votó el jueves la construcción de una nueva línea de tranvía que "
    "estará terminada antes del final de la década.",
    "it": "Il consiglio comunale ha votato giovedì la costruzione di una nuova linea del tram "
    "che sarà finita entro la fine del decennio.",
    "pt": "A câmara municipal votou na quinta-feira a construção de uma nova linha de elétrico "
    "que estará pronta até ao fim da década.",
    "nl": "De gemeenteraad heeft donderdag besloten een nieuwe tramlijn aan te leggen die voor "
    "het einde van het decennium klaar moet zijn.",
    "az": "Şəhər şurası cümə axşamı yeni tramvay xəttinin tikintisi ilə bağlı qərar qəbul edib "
    "və layihə üçün vəsait ayrılıb.",
    "ru": "Городской совет в четверг проголосовал за строительство новой трамвайной линии, "
    "которая будет готова до конца десятилетия.",
    "uk": "Міська рада в четвер проголосувала за будівництво нової трамвайної лінії, яка має "
    "бути готова до кінця десятиліття.",
    "ar": "صوت مجلس المدينة يوم الخميس على بناء خط ترام جديد من المقرر أن يكتمل قبل نهاية العقد.",
    "el": "Το δημοτικό συμβούλιο ψήφισε την Πέμπτη την κατασκευή νέας γραμμής τραμ.",
    "zh": "市议会周四投票决定修建一条新的有轨电车线路，预计将在十年内完工。",
    "ja": "市議会は木曜日、新しい路面電車の路線を建設することを決定しました。",
    "ko": "시의회는 목요일 새로운 트램 노선 건설을 승인했다고 밝혔다.",
}


@pytest.mark.parametrize("code", SAMPLES)
def test_languages_are_recognised(code: str) -> None:
    assert detect_language(SAMPLES[code]) == code


def test_common_languages_never_load_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_model(sample: str) -> str:
        raise AssertionError("the py3langid model was loaded")

    monkeypatch.setattr(language, "_model_language", no_model)
    for code in ("en", "de", "fr", "es", "ru", "zh", "ar"):
        assert detect_language(SAMPLES[code]) == code


def test_languages_without_a_word_list_go_to_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    model = language._model_language

    def spy(text: str) -> str | None:
        asked.append(text)
        return model(text)

    monkeypatch.setattr(language, "_model_language", spy)
    swahili = ("Rais amesema kwamba serikali itajenga barabara mpya katika mji mkuu mwaka ujao "
               "ili kupunguza msongamano wa magari.")  # fmt: skip
    assert detect_language(swahili) == "sw"
    assert asked == [swahili]


@pytest.mark.parametrize("text", ["", "2023-02-23", "OK", "+ ↺ − 16 px"])
def test_too_little_text_has_no_language(text: str) -> None:
    assert detect_language(text) is None


def test_scripts_and_word_lists() -> None:
    assert dominant_script("Xocalı soyqırımı")[0] == "latin"
    assert dominant_script("Ходжалы")[0] == "cyrillic"
    assert guess_by_words("the and of to in a is", ("en", "de")) == "en"
    assert guess_by_words("zebra quagga okapi gnu", ("en", "de")) is None
