"""Patterns over the dependency parse: which words of a sentence are events, who acts, who is acted upon.

Owns turning one parsed sentence into `Frame`s (type, mode, CAMEO code, trigger tokens, actor and recipient
head tokens, modality flags). The rules, each tested in tests/test_events.py:

- subject (or the `by` agent of a passive) -> actor; object, dative and `to/with/against/on/from/at`
  prepositional objects -> recipient; a passive subject -> recipient.
- complement chains compose into ONE event by the class of the governing word (lexicon.tsv `class`):
  `report` ("said X") passes X through (the speech act is not an event; "must/should" for another party
  -> REQUEST; an own intent to cooperate -> AGREE, to harm -> THREATEN, not to cooperate -> REJECT);
  `intent` (promise, offer, ready to) -> AGREE or THREATEN; `agree` -> AGREE; `threaten`, `reject`,
  `request`, `accuse` -> their own type, the embedded event only sets the mode and the recipient;
  `transparent` (begin, plan, try) -> the embedded event; `light` (held talks, launched an offensive)
  -> the object noun's event; `reciprocal` (meet, talks) -> all parties actors (whoever was met too), no
  recipient; `cease` (stop, halt, suspend, end) -> a stopped hostile act is its de-escalation by the same actor
  (modality.toml `[ceased]`), anything else stopped keeps the verb's own sense or is no event.
- conjoined verbs are events of their own; participial adverbial clauses only when the main clause has no
  event (they elaborate it otherwise); purpose clauses ("to
  protest") belong to the event they serve; background clauses ("after ...", "because ...") and relative
  clauses are not coded, except a named person's past act in a "who" clause ("Halvorsen, who briefed the
  Council, said"); "if/unless" clauses make the event conditional, and "only if" conditions on one's own
  cooperative act make it a demand of those conditions.
- an event verb's object is its content, never a nominal event of its own (even when the verb sits in an
  uncoded purpose or background clause); a dangling recipient preposition takes the noun phrase after it.
- nominal events stand alone only with an actor of their own ("Russia's veto of the draft", "talks
  between X and Y", "a Russian-declared pause", "a pause announced by Russia", "the UN aid convoy"); one that
  is the subject of a verb of arriving reached that verb's named place ("the convoy reached Aleppo").
- support nouns take their event from a modifier or their "of" noun ("a mediation effort", "a round of talks").
- a party's own stated future cooperation ("will visit", "will send aid") is an expressed intent: AGREE with
  CAMEO's 03 code for what was intended; withdrawals and resignations stay acts.
- a verb with "in protest" is a protest; a sum "in humanitarian aid" after a light or reporting verb is aid; a
  finite verb the parser hung under a noun root is coded with that noun as its subject.
- naming and judging: "called X Y" is no request, and a criticism (CAMEO 111) when Y is disparaging; a speaker's
  disparaging judgement of another party ("said the veto was a blow") is a criticism of it.
- wanting another party to act is a demand of it; what is received from someone was given by them; a thing
  received is no visit and a thing welcomed is praise; a CAMEO intent code on a past-tense act (not a promise)
  is the act ("sent 300 peacekeepers" AID 074); forces leaving a country withdraw; an act done "in a joint
  operation" is cooperation.

It reads tokens only; resolving actors to codes is annotate.py's job (it needs the knowledge base).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from eventdesk.events import modality
from eventdesk.events.lexicon import Lexicon, Sense, sense_of_code
from eventdesk.events.ontology import Ontology

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

SUBJ = {"nsubj", "nsubjpass", "csubj"}
OBJ = {"dobj", "dative", "obj", "iobj"}
RECIPIENT_PREPS = {"to", "with", "against", "on", "from", "at", "toward", "towards", "upon", "behind"}
COMPLEMENT = {"xcomp", "ccomp"}
VERBAL = {"VERB", "AUX"}
# Nouns after these in an object say whose thing it is: "North Korea's demand", "calls by Belarus".
OWNER_PREPS = {"of", "by", "from"}
# How far after a dangling preposition its object may start and still be taken.
MAX_DANGLING = 8
# CAMEO's "express intent to ..." codes by what is intended.
# A future withdrawal or resignation stays the act (RETREAT, CONCEDE), as in CAMEO's own examples.
INTENT_CODES = {"CONSULT": "036", "AID": "033", "COOPERATE": "031", "SUPPORT": "032"}
# What a receiving verb's subject got was given by someone else, if it is one of these.
GIVEN = {"AID", "SUPPORT", "AGREE", "COOPERATE"}
# Named-entity types of an amount ("extended by 24 hours"): never the doer after "by".
AMOUNT_ENTS = {"DATE", "TIME", "QUANTITY", "PERCENT", "CARDINAL", "MONEY"}


@dataclass
class Frame:
    """One coded event before its actors are resolved."""

    event: str
    mode: str | None
    cameo: str
    contexts: list[str]
    trigger: Token
    tokens: list[Token]  # every word of the composed chain (time, place and modality attach to these)
    actors: list[Token] = field(default_factory=list)
    recipients: list[Token] = field(default_factory=list)
    fallback_recipients: list[Token] = field(default_factory=list)  # owners inside a non-actor object
    reciprocal: bool = False
    flags: modality.Flags = field(default_factory=modality.Flags)
    source: str = ""


class SentenceCoder:
    """Codes the sentences of one Doc with one lexicon and ontology."""

    def __init__(self, lex: Lexicon, onto: Ontology, cues: modality.Cues) -> None:
        self.lex = lex
        self.onto = onto
        self.cues = cues

    # -- senses -------------------------------------------------------------------------------------------

    def sense(self, tok: Token) -> Sense | None:
        lemma = tok.lemma_.lower()
        if tok.pos_ in VERBAL:
            particle = " ".join(c.lower_ for c in tok.children if c.dep_ == "prt")
            if not particle:  # "voted down a bill", "pulled back": the particle parsed as a preposition or adverb
                particle = next(
                    (
                        c.lower_
                        for c in tok.children
                        if c.dep_ in ("prep", "advmod") and c.i == tok.i + 1 and f"{lemma} {c.lower_}" in self.lex.verbs
                    ),
                    "",
                )
            objs: list[str] = []
            for c in tok.children:
                # ("evacuated the wounded": a nominalised adjective or participle is an object too)
                nominalised = (
                    c.dep_ == "dobj" and c.pos_ in ("ADJ", "VERB") and any(d.lower_ == "the" for d in c.children)
                )
                if c.dep_ in ("dobj", "nsubjpass", "attr") and (c.pos_ in ("NOUN", "PROPN") or nominalised):
                    objs += [c.lemma_.lower(), c.lower_]
                    if c.lemma_.lower() == "state" or _is_sum(c):
                        # "declared a state of emergency", "delivered 12,000 tonnes of wheat": the thing after "of"
                        objs += [g.lemma_.lower() for p in c.children if p.lower_ == "of" for g in p.children]
            preps = []
            for c in tok.children:
                if c.dep_ in ("prep", "agent"):
                    pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    preps.append((c.lower_, pobj.lemma_.lower() if pobj is not None else ""))
            hit = self.lex.verb(lemma, particle, objs, preps)
            past = tok.tag_ == "VBD" or any(c.dep_ == "auxpass" and c.tag_ == "VBD" for c in tok.children)
            # (not for verbs of promising: "pledged assistance" stays an intent)
            if (
                hit is not None
                and hit.source == "cameo"
                and hit.cameo in self.cues.intent_acts
                and past
                and hit.cls not in ("intent", "agree")
            ):
                # "Bangladesh sent 300 peacekeepers": the dictionary's intent code for what was done
                hit = replace(sense_of_code(self.cues.intent_acts[hit.cameo], "cameo act") or hit, cls=hit.cls)
            if hit is not None and hit.cameo == "043" and not particle:
                hit = self._hosted(tok, lemma, hit)
            if (
                lemma in self.cues.departing
                and hit is not None
                and hit.event == "CONSULT"
                and not hit.source.startswith("lexicon")
            ):
                # "the last French troops left Niger": forces leaving is a withdrawal; anyone else leaving a place
                # ("2,306 civilians left the eastern districts") is no visit (the dictionary's default)
                if _military(self.subject(tok)):
                    hit = sense_of_code("0872", "forces left")
                elif not any(c.dep_ == "prep" and c.lower_ == "for" for c in tok.children):
                    hit = None
            if hit is None or hit.event is None:
                # "dismantled a ring in a joint operation": what the act was part of says what it was
                for p in tok.children:
                    if p.dep_ == "prep" and p.lower_ == "in":
                        for g in p.children:
                            within = self.noun_sense(g) if g.dep_ == "pobj" else None
                            if within is not None and within.event == "COOPERATE":
                                hit = within
            # "boycotted the session in protest": the phrase often hangs on the object
            protest = ("in", "protest") in preps or any(
                p.lower_ == "in" and any(g.lower_ == "protest" for g in p.children)
                for c in tok.children
                if c.dep_ == "dobj"
                for p in c.children
            )
            if (hit is None or (hit.event in (None, "REJECT") and not hit.cls)) and protest:
                # "walked off the job in protest", "shaved their heads in protest at": the act is the protest
                hit = Sense("PROTEST", None, "140", "", (), "in protest")
            return hit
        if tok.pos_ == "ADJ":
            return self.lex.adj(lemma)
        if tok.pos_ in ("NOUN", "PROPN"):
            return self.noun_sense(tok)
        return None

    def _hosted(self, verb: Token, lemma: str, hit: Sense) -> Sense | None:
        """ "received the delegation" hosts a visit; "received nine bodies" does not, and "welcomed the convoy"
        is praise (CAMEO 051)."""
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is None or obj.ent_type_ in ("PERSON", "NORP", "ORG", "GPE") or obj.pos_ in ("PROPN", "PRON"):
            return hit
        if obj.lemma_.lower() in self.cues.visitor_nouns or obj.lower_ in self.cues.visitor_nouns:
            return hit
        if lemma == "welcome":
            return sense_of_code("051", "welcomed a thing")
        return Sense(None, None, "---", source="received a thing")

    def noun_sense(self, tok: Token) -> Sense | None:
        if tok.lemma_.lower() in self.cues.cessation_nouns:
            # "a halt to air strikes", "an end to the siege", "the lifting of sanctions"
            for g in _pp_objects(tok, {"to", "of", "on"}):
                inner = self.noun_sense(g)
                if inner is not None and inner.event in self.cues.ceased:
                    return sense_of_code(self.cues.ceased[inner.event], f"ceased {inner.event}")
        mods = [c.lemma_.lower() for c in tok.lefts if c.dep_ in ("compound", "amod")]
        s = self.lex.noun(tok.lemma_.lower(), mods) or self.lex.noun(tok.lower_, mods)
        if s is None and tok.lemma_.lower() == "state":  # "state of emergency"
            of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            pobj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
            if pobj is not None:
                s = self.lex.noun(f"state of {pobj.lemma_.lower()}")
        if s is None and tok.lemma_.lower() in self.cues.vehicle_nouns:
            # "a mediation effort": the modifier names the event; the nearest modifier decides; "a round of
            # talks", "a wave of arrests": else the noun after "of"
            nearest = sorted((c for c in tok.lefts if c.dep_ in ("compound", "amod")), key=lambda c: -c.i)
            for m in nearest + _pp_objects(tok, {"of"}):
                s = self.lex.noun(m.lemma_.lower()) or self.lex.noun(m.lower_)
                if s is not None:
                    break
        # "air strike", "missile strike": a strike with a weapon is an attack, not a walkout
        if s is not None and s.mode == "strike" and any(m in self.cues.weapon_words for m in mods):
            s = Sense("ASSAULT", "aerial", "195", "", ("military",), s.source)
        return s

    # -- arguments ----------------------------------------------------------------------------------------

    @staticmethod
    def subject(tok: Token) -> Token | None:
        for c in tok.children:
            if c.dep_ in ("nsubj", "csubj"):
                return c
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        if agent is not None:
            by = next((g for g in agent.children if g.dep_ == "pobj"), None)
            # "extended by 24 hours", "cut by 20 percent": an amount, not the doer
            if by is None or not (by.ent_type_ in AMOUNT_ENTS or any(c.dep_ == "nummod" for c in by.children)):
                return by
            return None
        if any(c.dep_ == "nsubjpass" for c in tok.children):
            return None  # a passive without "by": the doer is not named
        # Controlled and conjoined verbs share their head's subject ("agreed to send", "met and agreed").
        if tok.dep_ in ("xcomp", "conj", "advcl", "acomp") and tok.head.i != tok.i:
            return SentenceCoder.subject(tok.head)
        return None

    @staticmethod
    def objects(tok: Token) -> tuple[list[Token], list[Token]]:
        """Recipient candidates: objects and recipient PPs; and owners inside the objects as a fallback."""
        direct: list[Token] = []
        owners: list[Token] = []
        for c in tok.children:
            if c.dep_ == "dative" and c.pos_ == "ADP":  # "sent aid to Haiti": the parser's dative "to"
                direct += [g for g in c.children if g.dep_ == "pobj"]
            elif c.dep_ in OBJ or c.dep_ == "nsubjpass":
                direct.append(c)
                owners += _owners(c)
                # "shared evidence with the U.S.": the parser often hangs the PP on the object
                direct += _pp_objects(c, RECIPIENT_PREPS)
            elif c.dep_ == "prep" and c.lower_ in RECIPIENT_PREPS:
                direct += [g for g in c.children if g.dep_ == "pobj"] or _dangling_object(c)
            elif c.dep_ == "prep" and c.lower_ == "in":
                # "voted in favour of the Peruvian proposal": the thing favoured and whose it is
                for g in c.children:
                    if g.dep_ == "pobj" and g.lower_ in ("favor", "favour", "support"):
                        favoured = _pp_objects(g, {"of"})
                        direct += favoured
                        owners += [o for f in favoured for o in _owners(f)]
        return direct, owners

    # -- frames ---------------------------------------------------------------------------------------------

    def make(self, sense: Sense, trigger: Token, tokens: list[Token], source: str = "") -> Frame | None:
        if sense.event is None:
            return None
        mode = self.onto.valid_mode(sense.event, sense.mode)
        f = Frame(sense.event, mode, sense.cameo, list(sense.contexts), trigger, tokens, source=source or sense.source)
        f.flags = modality.flags(tokens, self.cues)
        return f

    def sentence(self, sent: SpacySpan) -> list[Frame]:
        frames = self.clause(sent.root)
        if not frames and sent.root.pos_ in ("NOUN", "PROPN"):
            # "The opposition, which boycotted ..., called on ...": the small parser makes the subject the
            # root and the finite main verb its modifier; code that verb with the root as its subject.
            for c in sent.root.subtree:
                if c.dep_ == "acl" and c.tag_ in ("VBD", "VBN") and not any(g.dep_ == "nsubj" for g in c.children):
                    for sub in self.clause(c):
                        sub.actors = sub.actors or [sent.root]
                        frames.append(sub)
        consumed = {t.i for f in frames for t in f.tokens}
        for tok in sent:
            # "Halvorsen, who briefed the Council by video link, said ...": a named person's own past act told
            # in a relative clause is an event of that person (not "which"/"that" clauses about things)
            if (
                tok.dep_ == "relcl"
                and tok.tag_ == "VBD"
                and tok.i not in consumed
                and tok.head.ent_type_ == "PERSON"
                and any(c.dep_ == "nsubj" and c.lower_ == "who" for c in tok.children)
            ):
                for sub in self.compose(tok):
                    sub.actors = [tok.head]
                    frames.append(sub)
        for f in frames:
            if not f.actors and f.event in self.cues.hostile:
                f.actors = self.doers_at_the_time(f.trigger)
        frames = [self.intent(f) for f in frames]
        consumed = {t.i for f in frames for t in f.tokens}
        for tok in sent:
            if tok.i in consumed or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            if tok.head.i in consumed:
                continue  # the object of a coded event ("rejected North Korea's demand") is its content
            if tok.dep_ == "dobj" and self._is_event_verb(tok.head):
                continue  # an event verb's object is its content even where that verb is not coded
            noun_event = self.nominal(tok)
            if noun_event is not None:
                frames.append(noun_event)
        return frames

    def _is_event_verb(self, tok: Token) -> bool:
        """A verb that is an event or embeds one (not a light verb whose object names the event)."""
        if tok.pos_ not in VERBAL:
            return False
        s = self.sense(tok)
        return s is not None and s.cls != "light" and (s.event is not None or s.cls == "report")

    def clause(self, tok: Token) -> list[Frame]:
        """The events of the clause headed by `tok`, with its conjoined and adverbial clauses."""
        head = tok
        if tok.lemma_.lower() == "be" or tok.pos_ == "AUX":
            # "is willing to", "is opposed to": the predicate adjective carries the meaning
            acomp = next((c for c in tok.children if c.dep_ == "acomp" and self.sense(c) is not None), None)
            if acomp is not None:
                head = acomp
        frames = self.compose(head)
        extra: list[Frame] = []
        for c in tok.children:
            if c.dep_ == "conj" and c.pos_ in VERBAL and not _nominal_participle(c):
                extra += self.clause(c)
            elif c.dep_ == "advcl":
                mark = next((m.lower_ for m in c.children if m.dep_ in ("mark", "advmod") and m.i < c.i), "")
                if mark == "only":  # "only if": the mark proper follows
                    mark = next((m.lower_ for m in c.children if m.dep_ == "mark" and m.i < c.i), mark)
                restrictive = any(m.lower_ == "only" and m.dep_ == "advmod" and m.i < c.i for m in c.children)
                if mark in self.cues.conditional_marks and restrictive:
                    # "will allow evacuations only if each patient is screened": conditions one's own act
                    # waits on are demands (CAMEO 100), not a conditional promise
                    frames = [self.demand(f) for f in frames]
                elif mark in self.cues.conditional_marks:
                    for f in frames:
                        f.flags.conditional = True
                elif mark in self.cues.background_marks:
                    continue
                elif any(m.lower_ == "to" and m.dep_ == "aux" for m in c.children):
                    if not frames:  # a purpose clause belongs to the event it serves
                        extra += self.clause(c)
                elif c.tag_ == "VBG" and not frames:
                    # One event per predicate chain: "..., killing one person", "..., saying ...",
                    # "..., setting fire to ..." elaborate a coded main event and are not coded; without
                    # one, a participle's material action stands ("..., killing 12, police said")
                    extra += [f for f in self.clause(c) if self.onto.quad(f.event).startswith("MATERIAL")]
            elif c.dep_ == "parataxis" and c.pos_ in VERBAL:
                extra += self.clause(c)
        return frames + extra

    def compose(self, tok: Token) -> list[Frame]:
        sense = self.sense(tok)
        comps = [c for c in tok.children if c.dep_ in COMPLEMENT and c.pos_ in (*VERBAL, "ADJ")]
        # "accused X of violating", "pushing for": a gerund or clause inside a PP is the content too
        for p in tok.children:
            if p.dep_ == "prep":
                comps += [g for g in p.children if g.dep_ == "pcomp" and g.pos_ in VERBAL]
        subs: list[Frame] = [f for c in comps for f in self.clause(c)]
        cls = sense.cls if sense is not None else ""
        subj = self.subject(tok)
        if cls == "report" and not comps:
            subj, subs = self.misparsed_report(tok, subj)
        if sense is None or (sense.event is None and cls in ("", "report")):
            nominal = self.object_event(tok, subj)
            out = subs + ([nominal] if nominal is not None and not subs else [])
            if cls == "report" and not out and subj is not None:
                out = self.judged(tok, subj, comps)
                if out:
                    return out
            if cls == "report" or sense is None:
                return [self.reported(f, tok, subj) for f in out]
            return out
        if cls == "transparent":
            if not subs:
                nominal = self.object_event(tok, subj, within=True)
                subs = [nominal] if nominal is not None else []
            out = []
            for f in subs:
                f.tokens.append(tok)
                wants_to = any(a.lower_ == "to" and a.dep_ == "aux" for a in f.trigger.children)  # "wants X to leave"
                if tok.lemma_.lower() in self.cues.wanting and wants_to and subj is not None and subj not in f.actors:
                    # "Damascus wants some rebel fighters to leave": wanting another party to act demands it
                    out.append(self.wanted(f, tok, subj))
                    continue
                if tok.lemma_.lower() in self.cues.intent_transparent:
                    f.flags.intended = True
                f.flags.merge(modality.flags([tok], self.cues))
                out.append(f)
            return out
        if cls == "light":
            nominal = self.object_event(tok, subj)
            if nominal is not None:
                return [nominal, *subs]
            own = self.make(sense, tok, [tok])
            return ([self.with_args(own, tok)] if own is not None else []) + subs
        if cls == "cease":
            return self.cease(sense, tok, subj, subs)
        if tok.lemma_.lower() == "call" and _characterised(tok) is not None:
            return self.characterise(tok)
        own = self.make(sense, tok, [tok])
        if own is None:
            return subs
        self.with_args(own, tok)
        if cls in ("intent", "agree") and subs:
            sub = subs[0]
            event = own.event
            if cls == "intent" and (sub.event in self.cues.hostile or sub.event == "THREATEN"):
                event = "THREATEN"
            own.event = event
            own.mode = self.derived_mode(event, sub) if event == "THREATEN" else None
            own.cameo = self.onto.types[event].cameo + "0"
            # "vowed that Israel would pay a heavy price": who is to pay is who is threatened
            own.recipients = own.recipients or (sub.actors if sub.event == "THREATEN" else sub.recipients)
            own.fallback_recipients = own.fallback_recipients or sub.fallback_recipients
            own.tokens += sub.tokens
            own.contexts = list(dict.fromkeys(own.contexts + sub.contexts))
            own.flags.negated = own.flags.negated or sub.flags.negated
            if cls == "intent":
                own.flags.intended = True
            return [self.flip(own)]
        if cls in ("threaten", "reject", "request", "accuse") and subs:
            sub = subs[0]
            if cls != "accuse":
                own.mode = own.mode or self.derived_mode(own.event, sub)
            if cls == "request" and not own.recipients:
                own.recipients = sub.actors if sub.actors else []
            own.recipients = own.recipients or sub.recipients
            own.fallback_recipients = own.fallback_recipients or sub.fallback_recipients
            own.tokens += sub.tokens
            own.contexts = list(dict.fromkeys(own.contexts + sub.contexts))
            return [self.flip(own)]
        if cls == "reciprocal":
            own.reciprocal = True
        if own.event == "MOBILIZE" and any(
            c.dep_ in ("advcl", "xcomp")
            and c.lemma_.lower() in self.cues.helping
            and any(a.lower_ == "to" for a in c.children)
            for c in tok.children
        ):
            # "dispatched a rescue team to Turkey to help look for survivors": sent to help is aid (CAMEO 073)
            helped = sense_of_code("073", "sent to help")
            assert helped is not None and helped.event is not None
            own.event, own.mode, own.cameo, own.contexts = helped.event, helped.mode, "073", list(helped.contexts)
        return [self.flip(own)]  # a plain event absorbs its complements ("shunned work to protest")

    def cease(self, sense: Sense, tok: Token, subj: Token | None, subs: list[Frame]) -> list[Frame]:
        """ "stopped shelling", "halted its offensive", "suspended the sanctions": a hostile act stopped is
        a de-escalation by the same actor; anything else stopped is the verb's own sense ("halted aid" is a
        sanction) or no event ("called off the talks" says no talks took place)."""
        if not subs:
            nominal = self.object_event(tok, subj)
            subs = [nominal] if nominal is not None else []
        out = [self.ceased(f, tok) for f in subs if f.event in self.cues.ceased and not f.flags.negated]
        if out:
            return out
        own = self.make(sense, tok, [tok])
        return [self.flip(self.with_args(own, tok))] if own is not None else []

    def as_request(self, f: Frame, by: Token | None = None) -> Frame:
        """The act of `f` as a demand (CAMEO 100, its mode from what is demanded); with `by`, a demand by `by`
        of the act's own actors ("X must withdraw", said by Y; "Y wants X to leave")."""
        f.mode = self.onto.valid_mode("REQUEST", self.cues.derived_modes["REQUEST"].get(f.event))
        f.event, f.cameo = "REQUEST", "100"
        if by is not None:
            f.recipients, f.fallback_recipients = f.actors, []
            f.actors = [by]
        return f

    def wanted(self, f: Frame, verb: Token, subj: Token) -> Frame:
        """What one party wants another to do, as its demand."""
        self.as_request(f, subj)
        f.contexts = []
        f.flags = modality.flags([verb], self.cues)
        return f

    def doers_at_the_time(self, trigger: Token) -> list[Token]:
        """ "14 civilians were killed when regime artillery shelled the district": who did the hostile act told
        in a "when"/"as" clause of the same moment did the agentless harm."""
        for t in trigger.subtree:
            if t.i <= trigger.i or t.pos_ != "VERB":
                continue
            if any(c.lower_ in ("when", "as") and c.dep_ in ("advmod", "mark") and c.i < t.i for c in t.children):
                doers = [g for g in self.clause(t) if g.actors and g.event in self.cues.hostile]
                if doers:
                    return list(doers[0].actors)
        return []

    def demand(self, f: Frame) -> Frame:
        """A cooperative act offered on conditions is a demand of those conditions."""
        if f.event not in self.cues.cooperative or f.flags.negated:
            f.flags.conditional = True
            return f
        self.as_request(f)
        f.contexts = []
        f.flags.intended = False
        return f

    def ceased(self, f: Frame, tok: Token | None) -> Frame:
        """The frame of a hostile act turned into its stopping (modality.toml [ceased])."""
        code = self.cues.ceased[f.event]
        s = sense_of_code(code, f"ceased {f.event}")
        assert s is not None and s.event is not None
        f.event, f.mode, f.cameo = s.event, self.onto.valid_mode(s.event, s.mode), code
        f.contexts = list(dict.fromkeys([*f.contexts, *s.contexts]))
        if tok is not None:
            f.tokens.append(tok)
            f.flags.merge(modality.flags([tok], self.cues))
        return self.flip(f)

    def judged(self, verb: Token, speaker: Token, comps: list[Token]) -> list[Frame]:
        """ "Dumont said the veto was a blow to the people of Aleppo": a speaker's disparaging judgement of
        another party or its act is a criticism (CAMEO 111) of that party."""
        for c in comps:
            if c.lemma_.lower() != "be":
                continue
            topic = next((g for g in c.children if g.dep_ == "nsubj"), None)
            pred = [g for g in c.children if g.dep_ in ("attr", "acomp")]
            if topic is None or topic.lower_ in ("i", "we", "it", "this", "that") or not pred:
                continue
            if not self.disparaging(pred):
                continue
            s = sense_of_code("111", "judged disparagingly")
            f = self.make(s, verb, [verb, c]) if s is not None else None
            if f is None:
                return []
            f.actors = [speaker]
            f.recipients = [topic] if topic.pos_ == "PROPN" else []
            f.fallback_recipients = _owners(topic)
            return [f]
        return []

    def disparaging(self, preds: list[Token]) -> bool:
        """A word of these phrases (lemma or form) is disparaging ("a propaganda exercise", "a blow")."""
        words = {w for p in preds for t in p.subtree for w in (t.lemma_.lower(), t.lower_)}
        return bool(words & self.cues.disparaging)

    def characterise(self, tok: Token) -> list[Frame]:
        """ "called the draft a propaganda exercise", "called the pause too short": naming, not calling for
        anything; a criticism (CAMEO 111) when the words are disparaging, else no event."""
        pred = _characterised(tok)
        assert pred is not None
        if not (self.disparaging([pred]) or any(t.lower_ == "too" and t.dep_ == "advmod" for t in pred.subtree)):
            return []
        s = sense_of_code("111", "called X Y")
        f = self.make(s, tok, [tok]) if s is not None else None
        return [self.with_args(f, tok)] if f is not None else []

    def misparsed_report(self, verb: Token, subj: Token | None) -> tuple[Token | None, list[Frame]]:
        """ "Youths resorted to throwing stones, officials said" parsed with two subjects of "said" and the
        reported clause as a modifier of the first: the clause is the content, its noun its actor, and the
        subject nearest the verb the speaker."""
        subjects = [
            c for c in verb.children if c.dep_ in ("nsubj", "dep") and c.i < verb.i and c.pos_ in ("NOUN", "PROPN")
        ]
        if len(subjects) < 2 or subjects[-1].dep_ != "nsubj":
            return subj, []
        first = subjects[0]
        clause = next((a for a in first.children if a.dep_ == "acl" and a.tag_ in ("VBD", "VBN")), None)
        if clause is None:
            return subj, []
        subs = self.clause(clause)
        for f in subs:
            f.actors = f.actors or [first]
        return subjects[-1], subs

    def with_args(self, f: Frame, tok: Token) -> Frame:
        subj = self.subject(tok)
        f.actors = [subj] if subj is not None else []
        direct, owners = self.objects(tok)
        f.recipients = direct
        f.fallback_recipients = owners
        givers = _givers(tok) if f.event in GIVEN else []
        if givers:  # "Syria received aid from Japan": Japan gave it
            f.actors, f.recipients, f.fallback_recipients = givers, f.actors, []
        own_sense = self.sense(tok)
        if f.reciprocal or (own_sense is not None and own_sense.cls == "reciprocal"):
            # "met with Y", "met Y": everyone met is a party of the meeting
            withs = _pp_objects(tok, {"with"}) + [c for c in tok.children if c.dep_ == "dobj"]
            f.actors += withs
            f.recipients = [r for r in f.recipients if r not in withs]
        return f

    def object_event(self, tok: Token, subj: Token | None, within: bool = False) -> Frame | None:
        """A light or reporting verb's object noun as the event ("held talks", "announced a suspension"); with
        `within`, also the noun after "in" ("took part in joint exercises", "engaged in talks")."""
        # "That is not a humanitarian pause": what something is called is no event of the copula's subject
        cands = [c for c in tok.children if c.dep_ == "dobj" or (c.dep_ == "attr" and tok.lemma_.lower() != "be")]
        if within:
            cands += _pp_objects(tok, {"in"})
        for c in cands:
            if c.pos_ in ("NOUN", "PROPN"):
                obj = c
                s = self.noun_sense(c)
                if (s is None or s.event is None) and _is_sum(c):
                    # "announced 50 million euros in humanitarian assistance": the sum's purpose is the event
                    purpose = [g for p in c.children if p.lower_ == "in" for g in p.children if g.dep_ == "pobj"]
                    if purpose:
                        c = purpose[0]
                        s = self.noun_sense(c)
                if s is None or s.event is None:
                    continue
                if s.mode == "strike" and subj is not None and subj.lemma_.lower() in self.cues.air_and_armed:
                    # "Russian aviation had not carried out strikes": strikes by aircraft or forces are attacks
                    s = sense_of_code("195", "strikes by forces") or s
                f = self.make(s, c, [tok, c])
                if f is None:
                    continue
                f.flags.merge(modality.flags([tok], self.cues))
                f.actors = [subj] if subj is not None else []
                named = _named_owner(c)
                verb = self.sense(tok)
                if named is not None and (verb is None or (verb.event is None and not verb.cls)):
                    # "The pause follows a Russian veto": a verb that is no event leaves the noun to its owner
                    f.actors = [named]
                rec, owners = self.noun_args(c)
                verb_direct, _ = self.objects(tok)
                f.recipients = rec + [r for r in verb_direct if r.i not in (c.i, obj.i)]
                f.fallback_recipients = owners
                givers = _givers(tok) or [
                    g for g in rec if g.head.lower_ == "from" and tok.lemma_.lower() in self.cues.receiving
                ]
                if givers and f.event in GIVEN:  # "we have a green light from Moscow", "got aid from Japan"
                    f.actors, f.recipients, f.fallback_recipients = givers, f.actors, []
                if s.cls == "reciprocal":
                    f.reciprocal = True
                    f.actors += f.recipients
                    f.recipients = []
                return self.flip(f)
        return None

    def noun_args(self, noun: Token) -> tuple[list[Token], list[Token]]:
        rec = _pp_objects(noun, RECIPIENT_PREPS | {"between", "of", "for"})
        if noun.lemma_.lower() in self.cues.vehicle_nouns:
            # "a round of talks with Sri Lanka": the parties hang on the noun after "of"
            for g in [g for g in rec if g.head.lower_ == "of"]:
                rec += self.noun_args(g)[0]
        return rec, _owners(noun)

    def nominal(self, tok: Token) -> Frame | None:
        """A noun event with its own actor: a possessor, a `by` agent, or `between` parties."""
        if tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "ROOT", "appos", "attr", "conj"):
            return None
        s = self.noun_sense(tok)
        if s is None or s.event is None:
            return None
        poss = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
        between: list[Token] = []
        by = None
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "between":
                between = [g for g in c.children if g.dep_ == "pobj"]
            if c.dep_ == "prep" and c.lower_ == "by":
                by = next((g for g in c.children if g.dep_ == "pobj"), None)
        # "a Russian-declared humanitarian pause", "an Israeli airstrike", "the UN aid convoy": a named owner
        # before the noun is its actor as much as a possessor is
        named = next(
            (
                c
                for c in tok.lefts
                if c.dep_ in ("amod", "compound", "nmod") and c.pos_ in ("PROPN", "ADJ") and c.text[:1].isupper()
            ),
            None,
        )
        if named is None:
            # "a Russian-declared pause", "the US-led strikes", "a French-drafted resolution": the participle's
            # named modifier did it
            named = next(
                (
                    g
                    for c in tok.lefts
                    if c.dep_ == "amod" and c.lemma_.lower() in self.cues.agentive_participles
                    for g in c.children
                    if g.dep_ in ("npadvmod", "compound", "amod") and g.text[:1].isupper()
                ),
                None,
            )
        if named is None and by is None:
            # "a pause announced by Russia": the participle's agent
            by = next(
                (
                    g
                    for c in tok.rights
                    if c.dep_ == "acl" and c.lemma_.lower() in self.cues.agentive_participles
                    for a in c.children
                    if a.dep_ == "agent"
                    for g in a.children
                    if g.dep_ == "pobj"
                ),
                None,
            )
        if by is None and self.onto.quad(s.event).startswith(("VERBAL_COOP", "MATERIAL_COOP")):
            # "a green light from Moscow", "aid from Japan", "support from the EU": who gave it
            by = next(iter(_pp_objects(tok, {"from"})), None)
        actor = poss or by or named
        if actor is None and not between:
            return None
        f = self.make(s, tok, [tok])
        if f is None:
            return None
        if between:
            f.actors, f.reciprocal = between, True
        else:
            assert actor is not None
            f.actors = [actor]
            f.recipients = _pp_objects(tok, RECIPIENT_PREPS)
            if not f.recipients and tok.dep_ == "nsubj" and tok.head.lemma_.lower() in self.cues.motion_verbs:
                # "the UN aid convoy reached eastern Aleppo": where the event went is whom it reached (a named
                # place or party only: "came into force" reached nobody)
                went = [c for c in tok.head.children if c.dep_ == "dobj"] + _pp_objects(tok.head, {"to", "into", "in"})
                f.recipients = [c for c in went if c.pos_ == "PROPN"]
        if tok.head.i != tok.i:
            f.flags.merge(modality.flags([tok.head], self.cues))
        return self.flip(f)

    # -- composition helpers ------------------------------------------------------------------------------

    def derived_mode(self, event: str, sub: Frame) -> str | None:
        mode = self.cues.derived_modes.get(event, {}).get(sub.event)
        return self.onto.valid_mode(event, mode or sub.mode)

    def reported(self, f: Frame, verb: Token, speaker: Token | None) -> Frame:
        """An event said by `speaker`: obligations on others are its REQUEST; own intents its promise or
        threat; the rest is reported."""
        f.tokens.append(verb)
        if speaker is None:
            f.flags.reported = True
            return f
        # "his forces would observe the truce": the speaker's own side speaks of itself
        # (whoever a reciprocal event met is a party, not the one who speaks of it)
        subjects = [a for a in f.actors if a.dep_ not in ("dobj", "pobj")] if f.reciprocal else f.actors
        own = not subjects or all(a.pos_ == "PRON" or _pronoun_owned(a) or _own_side(a) for a in subjects)
        if not subjects and _agentless_passive(f.trigger) and f.event not in self.cues.cooperative:
            # "500 have been killed, doctors say": harm done by someone unnamed is not the speaker's; an official
            # announcing that "the pause has been extended" speaks for the side that extended it
            own = False
        if own:
            f.actors = [speaker]
        if f.flags.obligation and not own:
            self.as_request(f, speaker)
            f.flags.obligation = False
            return f
        if own and f.flags.intended:
            if f.event in self.cues.hostile:
                f.mode = self.derived_mode("THREATEN", f)
                f.event, f.cameo = "THREATEN", "130"
                f.flags.intended = False
            elif f.event in self.cues.cooperative and f.event != "AGREE" and not f.flags.negated:
                f.event, f.mode, f.cameo = "AGREE", None, "030"
                f.flags.intended = False
            return self.flip(f)
        if not own:
            f.flags.reported = True
        return f

    def intent(self, f: Frame) -> Frame:
        """An act of cooperation stated as the actor's own future ("X will visit Y", "will send aid") is, as in
        CAMEO's 03 codes, an expressed intent: AGREE, whose CAMEO code keeps what was intended (036 meet)."""
        fl = f.flags
        if fl.intended and not (fl.negated or fl.conditional or fl.hypothetical) and f.event in INTENT_CODES:
            f.event, f.mode, f.cameo = "AGREE", None, INTENT_CODES.get(f.event, "030")
            fl.intended = False
        return f

    def flip(self, f: Frame) -> Frame:
        """Negated cooperation with intent or in the present is a rejection ("would not back")."""
        if f.flags.negated and f.event in self.cues.flip_to_reject and (f.flags.intended or f.flags.present):
            f.mode = self.onto.valid_mode("REJECT", self.cues.derived_modes["REJECT"].get(f.event))
            f.event, f.cameo = "REJECT", "120"
            f.flags.negated = False
            f.flags.intended = False
        return f


def _owners(noun: Token) -> list[Token]:
    """Who a thing belongs to: "North Korea's demand", "Israeli changes", "calls by Belarus's rulers"."""
    out: list[Token] = []
    for c in noun.children:
        if c.dep_ == "poss" or (c.dep_ in ("amod", "compound") and c.pos_ in ("PROPN", "ADJ") and c.text[:1].isupper()):
            out.append(c)
        elif c.dep_ == "prep" and c.lower_ in OWNER_PREPS:
            out += [g for g in c.children if g.dep_ == "pobj"]
    return out


def _pp_objects(tok: Token, preps: Collection[str]) -> list[Token]:
    """The objects of `tok`'s prepositions named in `preps` ("talks with X" -> X)."""
    return [g for p in tok.children if p.dep_ == "prep" and p.lower_ in preps for g in p.children if g.dep_ == "pobj"]


def _is_sum(tok: Token) -> bool:
    """A sum of money or a count of things: "50 million euros", "$3 billion", "200 tonnes"."""
    return tok.ent_type_ == "MONEY" or any(c.dep_ == "nummod" and c.pos_ == "NUM" for c in tok.children)


def _named_owner(noun: Token) -> Token | None:
    """A noun's named possessor or capitalised modifier: "Moscow's veto", "a Russian veto"."""
    return next(
        (
            c
            for c in noun.children
            if (c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN"))
            or (
                c.dep_ in ("amod", "compound", "nmod")
                and c.i < noun.i
                and c.pos_ in ("PROPN", "ADJ")
                and c.text[:1].isupper()
            )
        ),
        None,
    )


def _nominal_participle(tok: Token) -> bool:
    """ "the sick and wounded", "the dead and injured": a participle after "and" that names people, not an act."""
    doc = tok.doc
    return (
        tok.tag_ in ("VBN", "VBD")
        and tok.i >= 2
        and doc[tok.i - 1].lower_ == "and"
        and doc[tok.i - 2].pos_ in ("ADJ", "NOUN")
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "dobj") for c in tok.children)
    )


def _military(tok: Token | None) -> bool:
    return tok is not None and tok.lemma_.lower() in modality.cues().military_nouns


def _givers(verb: Token) -> list[Token]:
    """Who gave what a receiving verb's subject got: "received aid from Japan" -> Japan."""
    return _pp_objects(verb, {"from"}) if verb.lemma_.lower() in modality.cues().receiving else []


def _agentless_passive(tok: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children) and not any(
        c.dep_ == "agent" for c in tok.children
    )


def _own_side(tok: Token) -> bool:
    """ "the groups", "the movement": a bare definite group noun in reported speech is the speaker's side
    ("a spokesman for the factions said the groups would escort ambulances")."""
    return (
        tok.pos_ == "NOUN"
        and tok.lemma_.lower() in modality.cues().own_side_nouns
        and [c.lower_ for c in tok.children] == ["the"]
    )


def _pronoun_owned(tok: Token) -> bool:
    return tok.pos_ == "NOUN" and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in tok.children)


def _dangling_object(prep: Token) -> list[Token]:
    """A preposition the parser left without its object ("granted asylum to five officers holed up in ...",
    where "officers" became the subject of "holed"): the largest noun phrase starting right after it."""
    if any(True for _ in prep.children):
        return []
    start = prep.i + 1
    cands = [
        t for t in prep.doc[start : start + MAX_DANGLING] if t.left_edge.i == start and t.pos_ in ("NOUN", "PROPN")
    ]
    return [max(cands, key=lambda t: t.right_edge.i)] if cands else []


def _characterised(verb: Token) -> Token | None:
    """What "called X ..." calls X: an object predicate ("called the draft a propaganda exercise") or an
    adjective after the object ("called the pause too short"); None for "called for", "called on", "called X
    to do"."""
    if any(c.dep_ == "prt" or (c.dep_ == "prep" and c.lower_ in ("for", "on", "upon")) for c in verb.children):
        return None
    if any(c.dep_ == "xcomp" for c in verb.children):
        return None
    oprd = next((c for c in verb.children if c.dep_ == "oprd"), None)
    if oprd is not None:
        return oprd
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None:
        return None
    return next((c for c in obj.rights if c.dep_ in ("amod", "acomp") and c.pos_ == "ADJ"), None)
