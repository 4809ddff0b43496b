"""Rebuild background_en.tsv.gz: English word frequencies (Zipf scale) used as fixed term weights by stories.py.

Source: wordfreq 3.1.1 (Robyn Speer et al.), data licensed CC BY-SA 4.0. Needs `pip install wordfreq==3.1.1`
only to rebuild; eventdesk reads the shipped file and never needs wordfreq at run time.

    python src/eventdesk/data/stories/build_background.py
"""

from __future__ import annotations

import gzip
from pathlib import Path

MIN_ZIPF = 2.5  # rarer words all get the maximum weight, so listing them would change nothing

if __name__ == "__main__":
    from wordfreq import top_n_list, zipf_frequency

    rows = []
    for word in top_n_list("en", 200_000, wordlist="large"):
        z = zipf_frequency(word, "en", wordlist="large")
        if z < MIN_ZIPF:
            break
        if word.isalpha() and word.isascii():
            rows.append(f"{word}\t{z:.2f}")
    out = Path(__file__).with_name("background_en.tsv.gz")
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("# word<TAB>zipf  (wordfreq 3.1.1, CC BY-SA 4.0; see README.md)\n")
        fh.write("\n".join(rows) + "\n")
    print(f"{len(rows)} words -> {out}")
