"""Common Turkish given names, surnames and cities, spelled properly.

Two uses: deciding whether a record with no other signal is Turkish (``is_common_turkish``),
and restoring the dot of ``i`` in names typed in ASCII capitals: a Turk typing ``ALI`` or
``ISMAIL`` on a keyboard without Turkish letters means ``Ali`` and ``İsmail``, which the plain
Turkish rule (``I`` -> ``ı``) would turn into ``Alı`` and ``Ismaıl``. Only the dotting is taken
from the list (``ISIL`` -> ``Isıl`` after ``Işıl``); other letters stay as typed.
"""

from __future__ import annotations

_GIVEN = """
Ahmet Mehmet Mustafa Ali Hüseyin Hasan İbrahim İsmail Osman Yusuf Murat Ömer Ramazan Halil
Süleyman Abdullah Mahmut Salih Recep Kemal Fatih Emre Burak Serkan Volkan Onur Tolga Cem Can
Kaan Barış Deniz Emir Eren Furkan Gökhan Hakan İlker Kerem Levent Oğuz Orhan Özgür Selim Serdar
Sinan Tamer Tuncay Uğur Umut Yasin Yiğit Zafer Erkan Ercan Erdem Ferhat Gökay Hüsnü İlhan İsa
Kadir Koray Mert Metin Necati Nuri Okan Oktay Rıza Sadık Sami Sedat Şükrü Tarık Taner Turgut
Yavuz Zeki Cengiz Cihan Ekrem Enver Faruk Fikret Halis Hikmet İlyas İrfan İhsan İlhami Kazım
Kenan Lütfi Muhammet Muhammed Nihat Nedim Refik Rıfat Selçuk Şener Şevket Tahir Talha Tayfun
Vedat Veli Yakup Yunus Zülfikar Batuhan Berk Arda Alp Alper Ozan Oğuzhan Bülent Cüneyt Erol
Ertuğrul Gürkan Hamza İlkay Kutay Nazım Ümit Coşkun Engin Erhan Haluk İskender Mesut Muammer
Necip Nevzat Remzi Rüştü Sabri Suat Tuğrul Vahit Yaşar Emine Ayşe Fatma Hatice Zeynep Elif
Meryem Şerife Sultan Zehra Hanife Merve Özlem Esra Büşra Derya Dilek Ebru Gülsüm Hülya İpek
Işıl Kübra Leyla Melek Melike Nuray Özge Pınar Seda Selin Sevgi Sibel Songül Şule Tuba Tuğba
Yasemin Yeliz Zerrin Aslı Aysel Ayten Belgin Berna Burcu Canan Çiğdem Demet Didem Duygu Eda
Elçin Emel Esin Feride Filiz Gamze Gizem Gönül Gülay Gülşen Hacer Handan Hande İlknur İrem
Kader Kezban Lale Meltem Neslihan Nihal Nilüfer Oya Reyhan Saadet Sevda Sevim Sinem Şeyma
Tülay Tülin Zübeyde Ceren Damla Defne Ece Ela Azra Beyza Buse Cansu Dilara Ezgi İlayda Irmak
Nisa Sıla Simge Şebnem Başak Bahar Aylin Ayla Ayşegül Gülcan Gülten Necla Nermin Nesrin Perihan
Serpil Sevil Şükran Türkan Ümran Ülkü Yeşim Zuhal Nilay Bilge Ilgın Sıdıka Kıymet Naciye Nazlı
Nazife Güler Gülizar Hilal Mine Müge Nilgün Sevgül Şirin Tuncer Bilal Cavit Cemil Davut Eyüp Nil
"""
_SURNAMES = """
Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan
Çetin Kara Koç Kurt Özkan Şimşek Polat Özcan Korkmaz Çakır Erdoğan Acar Şen Aktaş Yalçın
Güneş Bozkurt Bulut Keskin Ünal Turan Gül Özer Işık Kaplan Avcı Sarı Tekin Taş Köse Yüksel
Ateş Aksoy Ekinci Tunç Uçar Kocabaş Altun Başaran Karaca Çiftçi Akın Kılınç Oral Güven Tan
Demirci Karakaya Sönmez Duman Uysal Akbulut Bayram Çınar Akgül Öz Ayhan Kahraman Uzun Tatlı
Toprak Alkan Çakmak Kalkan Durmaz Demirtaş Dinç Sezer Bilgin Gündoğdu Ağaoğlu Karagöz Aydoğan
Yazıcı Akyüz Esen Çağlar İnce Yurt Baysal Karataş Akdemir Özbek Temiz Türk Ekici Işıklı Kılınçarslan
Özyurt Sağlam Tuna Güneri Dursun Yiğit Aydemir Ilıcak Altıntaş Bilgiç Cömert Erkılıç Kırış
"""
_CITIES = """
Adana Adıyaman Afyonkarahisar Ağrı Amasya Ankara Antalya Artvin Aydın Balıkesir Bilecik Bingöl
Bitlis Bolu Burdur Bursa Çanakkale Çankırı Çorum Denizli Diyarbakır Edirne Elazığ Erzincan
Erzurum Eskişehir Gaziantep Giresun Gümüşhane Hakkari Hatay Isparta Mersin İstanbul İzmir Kars
Kastamonu Kayseri Kırklareli Kırşehir Kocaeli Konya Kütahya Malatya Manisa Kahramanmaraş Mardin
Muğla Muş Nevşehir Niğde Ordu Rize Sakarya Samsun Siirt Sinop Sivas Tekirdağ Tokat Trabzon
Tunceli Şanlıurfa Uşak Van Yozgat Zonguldak Aksaray Bayburt Karaman Kırıkkale Batman Şırnak
Bartın Ardahan Iğdır Yalova Karabük Kilis Osmaniye Düzce Gebze Kadıköy Beşiktaş Şişli Üsküdar
Bakırköy Çorlu İzmit Alanya Bodrum Çankaya Ümraniye Ataşehir Maltepe Pendik Kartal Esenyurt
Sarıyer Beylikdüzü Tuzla Avcılar Bağcılar Küçükçekmece Silivri Nilüfer Karşıyaka Bornova
"""

_ASCII_UPPER = str.maketrans("ğüşıöçĞÜŞİÖÇâîûÂÎÛ", "GUSIOCGUSIOCAIUAIU")


def _ascii_upper(word: str) -> str:
    return word.translate(_ASCII_UPPER).upper()


def _index(*lists: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for text in lists:
        for word in text.split():
            index.setdefault(_ascii_upper(word), word)
    return index


_PERSON_SPELLING = _index(_GIVEN, _SURNAMES)
_SPELLING = _index(_GIVEN, _SURNAMES, _CITIES)


def is_common_turkish(word: str) -> bool:
    """Whether ``word`` (any case, any dotting) is a common Turkish given name or surname."""
    key = _ascii_upper(word)
    return key in _PERSON_SPELLING or (len(key) > 6 and key.endswith("OGLU"))


def known_spelling(ascii_upper: str) -> str | None:
    """The proper spelling of a known Turkish name or city typed in ASCII capitals."""
    return _SPELLING.get(ascii_upper)
