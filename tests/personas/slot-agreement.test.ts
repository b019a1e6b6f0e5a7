import { describe, expect, it } from "vitest";
import {
  personaSystemPrompt,
  personaUserPrompt,
  slotRequest,
  type PersonaDraft,
} from "../../src/main/services/personas/prompt";
import {
  isPlaceCategory,
  locationNamesPlace,
  slotDisagreement,
  slotRequirements,
  storyContains,
} from "../../src/main/services/personas/slot-agreement";

/**
 * Every dimension of a persona's quota slot must hold in the persona itself: the place in its
 * location, a custom dimension (or a kind of settlement) stated as the slot's category with a
 * sentence of its story that says so, and the standard fields as before.
 */

const STORY =
  "Zofia Nowak ma 34 lata i mieszka na Mokotowie w Warszawie, gdzie pracuje jako księgowa w małym biurze rachunkowym. " +
  "Od ośmiu lat nie je mięsa ani nabiału i gotuje wyłącznie wegańsko. " +
  "W weekendy biega nad Wisłą i prowadzi domowy budżet w arkuszu, bo kredyt na mieszkanie zjada sporą część pensji.";

const SLOT = {
  index: 3,
  demographics: { age_group: "25-34", gender: "female", location: "Warszawa", diet: "vegan" },
};

function draft(patch: Partial<PersonaDraft> = {}): PersonaDraft {
  return {
    slotIndex: 3,
    demographics: { ...SLOT.demographics },
    name: "Zofia Nowak",
    age: 34,
    gender: "female",
    location: "Mokotów, Warszawa",
    education: "master",
    income: "middle",
    occupation: "księgowa",
    bigFive: { openness: 0.6, conscientiousness: 0.8, extraversion: 0.4, agreeableness: 0.7, neuroticism: 0.3 },
    values: ["uczciwość", "rodzina"],
    interests: ["bieganie", "gotowanie"],
    backgroundStory: STORY,
    communicationStyle: "Mówi konkretnie i z przykładami.",
    decisionMakingStyle: "Porównuje ceny i czyta opinie.",
    concerns: ["koszt kredytu"],
    slotEvidence: [
      {
        dimension: "diet",
        value: "vegan",
        evidence: "Od ośmiu lat nie je mięsa ani nabiału i gotuje wyłącznie wegańsko.",
      },
    ],
    ...patch,
  };
}

describe("a location that names the slot's place", () => {
  it.each([
    ["Warszawa", "Warszawa"],
    ["Mokotów, Warszawa", "Warszawa"],
    ["Warszawa, Mokotów", "Warszawa"],
    ["warszawa", "Warszawa"],
    ["WARSZAWA-Wola", "Warszawa"],
    ["Krakow", "Kraków"],
    ["Kraków, Nowa Huta", "Krakow"],
    ["Lodz, Bałuty", "Łódź"],
    ["Gdańsk Oliwa", "Gdańsk"],
    ["Midtown, Sacramento, California", "Sacramento, California"],
    ["Mokotów, Warszawa", "Warszawa, Mokotów"],
    ["Brooklyn, New York", "new_york"],
  ])("accepts %j for %j", (location, place) => {
    expect(locationNamesPlace(location, place)).toBe(true);
  });

  it.each([
    ["Sacramento, California", "Warszawa"],
    ["Lubliniec", "Lublin"],
    ["Kraków", "Warszawa"],
    ["Gdynia", "Gdańsk"],
    ["Warszawie", "Warszawa"],
    ["Sacramento", "Sacramento, California"],
    ["", "Warszawa"],
  ])("refuses %j for %j", (location, place) => {
    expect(locationNamesPlace(location, place)).toBe(false);
  });
});

describe("location categories", () => {
  it.each(["Warszawa", "Kraków", "Sacramento, California", "Mexico City", "Mazowsze", "new_york", "Poland"])(
    "reads %j as a place",
    (category) => expect(isPlaceCategory(category)).toBe(true),
  );

  it.each(["urban", "Suburban", "Rural", "small_town", "Large city", "Wieś", "Miasto", "city_500k_plus", "Other"])(
    "reads %j as a kind of settlement, not a place",
    (category) => expect(isPlaceCategory(category)).toBe(false),
  );

  it("asks for the place to live in, and for evidence of custom dimensions and kinds of settlement", () => {
    expect(slotRequirements(SLOT.demographics)).toEqual({ livesIn: "Warszawa", evidenceFor: ["diet"] });
    expect(slotRequirements({ location: "rural", gender: "male", household_size: "3" })).toEqual({
      evidenceFor: ["location", "household_size"],
    });
    expect(slotRequirements({ gender: "male", income: "low", education: "secondary", age_group: "18-24" })).toEqual({
      evidenceFor: [],
    });
  });
});

describe("evidence quoted from the story", () => {
  it("finds a sentence word for word, whatever the case, accents, spacing and enclosing quotes", () => {
    expect(storyContains(STORY, "Od ośmiu lat nie je mięsa ani nabiału i gotuje wyłącznie wegańsko.")).toBe(true);
    expect(storyContains(STORY, "od osmiu lat nie je  miesa ani nabialu i gotuje wylacznie wegansko")).toBe(true);
    expect(storyContains(STORY, "  „Od ośmiu lat nie je mięsa ani nabiału i gotuje wyłącznie wegańsko”  ")).toBe(true);
    expect(storyContains(STORY, "OD OSMIU LAT nie je miesa\nani nabialu")).toBe(true);
  });

  it("refuses words the story does not hold", () => {
    expect(storyContains(STORY, "Je mięso codziennie i nie wyobraża sobie obiadu bez schabowego.")).toBe(false);
    expect(storyContains(STORY, "Od ośmiu lat nie je mięsa ani nabiału i gotuje wyłącznie wegetariańsko.")).toBe(false);
    expect(storyContains(STORY, "  ..  ")).toBe(false);
  });
});

describe("slot agreement of a whole draft", () => {
  const slot = slotRequest(SLOT);

  it("accepts a persona that agrees with its slot on every dimension", () => {
    expect(slotDisagreement(draft(), slot)).toBeNull();
    expect(slotDisagreement(draft({ location: "Warszawa" }), slot)).toBeNull();
    expect(
      slotDisagreement(
        draft({ slotEvidence: [{ dimension: "diet", value: "Vegan", evidence: "gotuje wyłącznie wegańsko" }] }),
        slot,
      ),
    ).toBeNull();
  });

  it("refuses a persona living elsewhere, naming the place it must live in", () => {
    expect(slotDisagreement(draft({ location: "Sacramento, California" }), slot)).toEqual({
      reason: "dimension",
      dimension: "location",
      message:
        'location is "Sacramento, California", which is not in Warszawa: the persona lives in Warszawa, so its location must name it (e.g. "<district>, Warszawa")',
    });
  });

  it("refuses a custom dimension that is missing, stated otherwise, or not shown by the story", () => {
    expect(slotDisagreement(draft({ slotEvidence: [] }), slot)).toEqual({
      reason: "dimension",
      dimension: "diet",
      message:
        'slotEvidence has no entry for diet: state it as "vegan" and quote the backgroundStory sentence that shows it',
    });
    expect(
      slotDisagreement(
        draft({ slotEvidence: [{ dimension: "diet", value: "omnivore", evidence: "W weekendy biega nad Wisłą" }] }),
        slot,
      ),
    ).toEqual({
      reason: "dimension",
      dimension: "diet",
      message: 'slotEvidence says diet is "omnivore" but the slot requires "vegan"',
    });
    expect(
      slotDisagreement(
        draft({
          slotEvidence: [{ dimension: "diet", value: "vegan", evidence: "Jest weganką od dziecka i tego pilnuje." }],
        }),
        slot,
      ),
    ).toMatchObject({
      reason: "dimension",
      dimension: "diet",
      message: expect.stringMatching(/not a sentence of the backgroundStory/),
    });
  });

  it("states a kind of settlement like a custom dimension, since no location names it", () => {
    const rural = slotRequest({ index: 0, demographics: { location: "rural" } });
    const villager = draft({
      slotIndex: 0,
      demographics: { location: "rural" },
      location: "Sacramento, California",
      slotEvidence: [],
    });
    expect(slotDisagreement(villager, rural)).toMatchObject({ reason: "dimension", dimension: "location" });
    const stated = {
      ...villager,
      slotEvidence: [{ dimension: "location", value: "rural", evidence: "W weekendy biega nad Wisłą" }],
    };
    expect(slotDisagreement(stated, rural)).toBeNull();
  });

  it("still checks the standard fields, accents and case aside", () => {
    expect(slotDisagreement(draft({ age: 41 }), slot)).toEqual({
      reason: "dimension",
      dimension: "age_group",
      message: "age 41 is outside the slot's 25-34 bracket",
    });
    expect(slotDisagreement(draft({ gender: "male" }), slot)).toMatchObject({ dimension: "gender" });
    expect(slotDisagreement(draft({ gender: "Female" }), slot)).toBeNull();
    const middle = slotRequest({ index: 3, demographics: { income: "lower_middle", education: "Średnie" } });
    const fits = draft({
      demographics: { income: "lower_middle", education: "Średnie" },
      income: "Lower middle",
      education: "srednie",
      slotEvidence: [],
    });
    expect(slotDisagreement(fits, middle)).toBeNull();
  });

  it("refuses a draft that answered another slot or changed the slot's demographics", () => {
    expect(slotDisagreement(draft({ slotIndex: 4 }), slot)).toMatchObject({ reason: "slot", dimension: null });
    expect(slotDisagreement(draft({ demographics: { ...SLOT.demographics, pets: "cat" } }), slot)).toMatchObject({
      reason: "slot",
    });
    expect(slotDisagreement(draft({ demographics: { ...SLOT.demographics, location: "Kraków" } }), slot)).toMatchObject(
      { reason: "dimension", dimension: "location", message: expect.stringMatching(/requires "Warszawa"/) },
    );
  });
});

describe("the prompt", () => {
  it("lets a slot's place win over the locale's country", () => {
    const system = personaSystemPrompt("en-US");
    expect(system).toMatch(/write everything in American English/);
    expect(system).toMatch(/when a slot has "livesIn", the persona lives there/);
    expect(system).toMatch(/Unless the slot names a place, the persona lives in the United States/);
    expect(system).not.toMatch(/Every persona lives in/);
  });

  it("sends each slot's place and the dimensions to state with evidence", () => {
    const user = personaUserPrompt({ name: "Oat drink", researchGoal: "", targetAudience: "", description: "" }, [
      slotRequest(SLOT),
    ]);
    const slots = JSON.parse(/<slots>([\s\S]*?)<\/slots>/.exec(user)![1]!) as unknown[];
    expect(slots).toEqual([
      {
        slotIndex: 3,
        demographics: SLOT.demographics,
        ageRange: { min: 25, max: 34 },
        livesIn: "Warszawa",
        evidenceFor: ["diet"],
      },
    ]);
  });
});
