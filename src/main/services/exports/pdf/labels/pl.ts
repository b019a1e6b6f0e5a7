import { isStandardDimension } from "../../../../../shared/domain/demographics";
import type { Labels } from "./index";

export const pl: Labels = {
  reportKind: {
    project: "Raport projektu",
    focusGroup: "Raport z grupy fokusowej",
    survey: "Raport z ankiety",
    personas: "Aneks: persony",
  },
  syntheticData:
    "Dane syntetyczne: każdy respondent w tym eksporcie jest personą wygenerowaną przez AI, a nie prawdziwą osobą.",
  freeMark: "Sight Free",
  page: (n, of) => `Strona ${n} z ${of}`,
  contents: "Spis treści",
  project: "Projekt",
  study: "Badanie",
  studies: "Badania",
  exportDate: "Data eksportu",
  dataRange: "Zebrane dane",
  noData: "brak danych",
  personas: "Persony",
  participants: "Uczestnicy",
  respondents: "Respondenci",
  questions: "Pytania",
  messages: "Wypowiedzi",
  language: "Język",
  researchGoal: "Cel badania",
  targetAudience: "Grupa docelowa",
  partialBanner: (status) => `Częściowe: to badanie nie zostało ukończone (${status}).`,
  partialReport: "Częściowe: część danych pochodzi z badania, które nie zostało ukończone.",
  status: {
    draft: "szkic",
    running: "w toku",
    paused: "wstrzymane",
    completed: "ukończone",
    failed: "nieudane",
    cancelled: "anulowane",
    interrupted: "przerwane",
  },
  focusGroup: "Grupa fokusowa",
  survey: "Ankieta",
  overview: "Przegląd",
  executiveSummary: "Podsumowanie",
  themes: "Wątki",
  sentiment: "Nastawienie",
  sentimentByQuestion: "Średnie nastawienie według pytań",
  sentimentByPersona: "Średnie nastawienie według uczestników",
  sentimentOverall: "Średnie nastawienie ogółem",
  sentimentScale: "Skala: od −1 (bardzo negatywne) do +1 (bardzo pozytywne), dla każdej wypowiedzi uczestnika.",
  negative: "negatywne",
  positive: "pozytywne",
  findings: "Zgoda, różnice zdań i segmenty",
  agreements: "W czym uczestnicy się zgadzali",
  disagreements: "W czym uczestnicy się różnili",
  segmentDifferences: "Różnice między segmentami",
  surprises: "Zaskoczenia",
  recommendations: "Rekomendacje",
  transcript: "Zapis dyskusji",
  question: (n) => `Pytanie ${n}`,
  probes: "Pytania pogłębiające moderatora",
  moderator: "Moderator",
  round: (n) => `Runda dyskusji ${n}`,
  followUp: "Dopytanie",
  // The name after a colon stays in the nominative: display names cannot be declined.
  probeSuggestedBy: (name) => `pytanie zaproponowane przez współmoderatora: ${name}`,
  repliesTo: (name) => `w odpowiedzi dla: ${name}`,
  quoted: (text) => `„${text}”`,
  moreEvidence: (n) =>
    `oraz ${n} ${plural(n, "inna wypowiedź", "inne wypowiedzi", "innych wypowiedzi")} w zapisie dyskusji`,
  notAnalysed: "Ta grupa fokusowa nie została jeszcze przeanalizowana: brak podsumowania, wątków i nastawienia.",
  noneFound: "Nie zidentyfikowano.",
  results: "Wyniki według pytań",
  answered: (n, of) => `Odpowiedziało ${n} z ${of} respondentów`,
  questionType: {
    multiple_choice: "Wielokrotny wybór",
    rating_scale: "Skala ocen",
    open_ended: "Pytanie otwarte",
    ranking: "Ranking",
  },
  multiSelect: (n) => `do ${n} odpowiedzi; udziały mogą sumować się do ponad 100%`,
  statMean: "Średnia",
  statMedian: "Mediana",
  statSd: "Odchylenie std.",
  statMin: "Min.",
  statMax: "Maks.",
  statN: "n",
  meanRank: "Średnia pozycja",
  borda: "Punkty Bordy",
  firstChoice: "Na 1. miejscu",
  item: "Element",
  option: "Odpowiedź",
  share: "Udział",
  count: "Liczba",
  themeCount: (n) => `${n} ${plural(n, "respondent", "respondentów", "respondentów")}`,
  noOpenThemes: "Odpowiedzi na to pytanie nie zostały pogrupowane w wątki.",
  crosstab: (dimension) => `Według: ${dimension}`,
  chiSquare: "χ²",
  df: "df",
  pValue: "p",
  total: "Razem",
  smallCounts: "Niektóre liczebności oczekiwane są mniejsze niż 5: przybliżenie chi-kwadrat jest niewiarygodne.",
  noTest: "Brak testu",
  multiSelectNoTest: "Kilka odpowiedzi na respondenta: bez testu chi-kwadrat (liczone są wybory, nie respondenci).",
  responseStyle: "Styl odpowiedzi",
  rsThisSurvey: "Ci respondenci",
  rsUniform: "Rozkład jednostajny",
  rsBenchmark: "Punkt odniesienia (ludzie)",
  rsOr: "lub",
  rsMiddle: (values) => `Odpowiedzi środkowe (${values})`,
  rsEnds: (values) => `Odpowiedzi skrajne (${values})`,
  rsOf: (count, n) => `${count} z ${n}`,
  rsTestNote:
    "p: jednostronny dokładny test dwumianowy: więcej odpowiedzi środkowych albo mniej skrajnych, niż zakłada kolumna.",
  rsMidpointCollapse: (share, values, reference, p) =>
    `Skupienie na środku skali: ${share} odpowiedzi to środek skali (${values}), a punkt odniesienia zakłada ${reference} (${p}).`,
  rsNoExtremes: (n, ends, reference, p) =>
    `Brak odpowiedzi skrajnych (${ends}) wśród ${n} odpowiedzi; respondent, który odpowiada skrajnie w ${reference} przypadków, nie dałby żadnej takiej odpowiedzi z prawdopodobieństwem ${p}.`,
  rsNoWarning: (minAnswers, alpha) =>
    `Brak ostrzeżeń o stylu odpowiedzi (ostrzeżenie wymaga co najmniej ${minAnswers} odpowiedzi i p < ${alpha}).`,
  rsBenchmarkSource: (source) =>
    `Punkt odniesienia: ${source}. Można go zmienić w Ustawieniach, w sekcji Styl odpowiedzi.`,
  rsNoBenchmark: (points) =>
    `Brak punktu odniesienia dla skal ${points}-punktowych: porównanie tylko z rozkładem jednostajnym.`,
  rsDefaultSource: "wartości poglądowe (15/20/30/20/15 %), nie zmierzona norma",
  appendix: "Aneks: persony",
  age: "Wiek",
  gender: "Płeć",
  location: "Miejsce",
  occupation: "Zawód",
  education: "Wykształcenie",
  income: "Dochód",
  bigFive: "Osobowość (Wielka Piątka)",
  traits: {
    openness: "Otwartość",
    conscientiousness: "Sumienność",
    extraversion: "Ekstrawersja",
    agreeableness: "Ugodowość",
    neuroticism: "Neurotyczność",
  },
  values: "Wartości",
  interests: "Zainteresowania",
  story: "Historia",
  communicationStyle: "Styl komunikacji",
  decisionMakingStyle: "Styl podejmowania decyzji",
  concerns: "Obawy",
  methodology: "Metodologia i ujawnienie",
  disclosureTitle: "Syntetyczni respondenci",
  disclosureText:
    "Każdy uczestnik i respondent w tym raporcie jest personą AI wygenerowaną przez duży model językowy tak, by odpowiadała grupie docelowej projektu. Ich odpowiedzi są wynikiem działania modelu, a nie opiniami prawdziwych ludzi. Służą do badania hipotez i przygotowania badań z prawdziwymi klientami, a nie do ich zastąpienia.",
  howPersonasWereMade: "Jak powstały persony",
  generationRun: (model, seed, n) =>
    `${n} ${plural(n, "persona wygenerowana", "persony wygenerowane", "person wygenerowanych")} przez ${model}, ziarno ${seed}`,
  seedNone: "nie zapisano",
  refusalsNone: (drafts) =>
    drafts === 1
      ? "Jedyny szkic persony napisany przez model pasował do swojego miejsca w kwotach: niczego nie odrzucono."
      : `Żaden z ${drafts} szkiców person napisanych przez model nie został odrzucony: każdy pasował do swojego miejsca w kwotach w każdym wymiarze i nie powtarzał innej persony.`,
  refusalsText: (refused, drafts) =>
    `Odrzucono ${refused} z ${drafts} ${drafts === 1 ? "szkicu persony napisanego" : "szkiców person napisanych"} przez model i ` +
    (refused === 1
      ? "napisano go od nowa, bo nie pasował do swojego miejsca w kwotach (sprawdzanego w każdym wymiarze z profilem persony) albo powtarzał inną personę."
      : "napisano je od nowa, bo nie pasowały do swoich miejsc w kwotach (sprawdzanych w każdym wymiarze z profilem persony) albo powtarzały inne persony.") +
    " Według powodu:",
  refusalReason: (reason, dimension) =>
    reason === "dimension" && dimension !== null
      ? isStandardDimension(dimension)
        ? dimension.replace(/_/g, " ")
        : `${dimension} (wymiar własny)`
      : {
          dimension: "wymiar miejsca w kwotach",
          slot: "odpowiedź dla innego miejsca",
          duplicate_name: "imię i nazwisko już użyte",
          duplicate_story: "prawie taki sam życiorys",
          missing: "brak w odpowiedzi modelu",
        }[reason],
  studySettings: "Ustawienia badania",
  model: "Model",
  modelDefault: "domyślny model dostawcy (nieprzypisany do badania)",
  runModel: (m) =>
    [
      `${m.model}${m.modelVersion && m.modelVersion !== m.model ? ` (odpowiadał jako ${m.modelVersion})` : ""} przez ${m.provider === "gemini" ? "Gemini" : "punkt końcowy zgodny z OpenAI"}`,
      m.temperature === null ? "domyślna temperatura dostawcy" : `temperatura ${m.temperature}`,
      m.seed === null ? "bez ziarna" : `ziarno ${m.seed}`,
      m.promptVersion ? `prompty ${m.promptVersion}` : null,
      `${m.calls} ${plural(m.calls, "wywołanie", "wywołania", "wywołań")}`,
    ]
      .filter(Boolean)
      .join(", "),
  modelNotRecorded: (asked) =>
    `nie zapisano (badanie uruchomiła wersja Sight, która nie zapisywała modeli)${asked ? `; wskazany model: ${asked}` : ""}`,
  modelsOf: { discussion: "Dyskusja", analysis: "Analiza", survey: "Odpowiedzi" },
  seed: "Ziarno",
  seedDerived: "wyprowadzone z identyfikatora badania (nie ustawiono)",
  temperature: "Temperatura",
  discussionRounds: "Rundy dyskusji",
  moderatorFollowUps: "Dopytania moderatora",
  coModeratorProbes: (n) =>
    n === 1
      ? "1 pytanie zaproponował współmoderator podczas sesji na żywo, a zadał je moderator."
      : `${n} ${plural(n, "pytanie", "pytania", "pytań")} zaproponowali współmoderatorzy podczas sesji na żywo, a zadał je moderator.`,
  yes: "tak",
  no: "nie",
  validationTitle: "Zgodność z grupą docelową",
  validationText: (n, alpha) =>
    `Test zgodności chi-kwadrat, dla każdego wymiaru, kategorii kwotowych ${n} person względem udziałów docelowych (α = ${alpha}). Mała wartość p oznacza, że próba różni się od grupy docelowej.`,
  dimension: "Wymiar",
  categoryCounts: "Persony w kategoriach (udział docelowy)",
  verdict: { consistent: "zgodna", differs: "różni się", untestable: "nie do zbadania" },
  validationSmallCounts:
    "W niektórych kategoriach liczebności oczekiwane są mniejsze niż 5: wartość p należy czytać ostrożnie.",
  validationNone: "Projekt nie określa wymiarów grupy docelowej: nie ma czego sprawdzać.",
  sampleOf: (name) => `Próba: ${name}`,
  limitationsTitle: "Ograniczenia",
  limitations: [
    "Modele językowe odtwarzają wzorce z danych treningowych, także ich uprzedzenia; persony mogą być bardziej elokwentne, ugodowe i spójne niż prawdziwi ludzie.",
    "Kwoty gwarantują skład demograficzny, a nie reprezentatywność opinii w każdym segmencie.",
    "Oceny nastawienia, wątki i rekomendacje przygotował model językowy na podstawie zapisu dyskusji; ich źródła są cytowane, aby można je było sprawdzić.",
  ],
  generatedBy: (version) => `Wygenerowano w Sight ${version}`,
};

/** Polish plural forms: 1, 2–4 (not 12–14), and the rest. */
function plural(n: number, one: string, few: string, many: string): string {
  if (n === 1) return one;
  const tens = n % 100;
  const units = n % 10;
  return units >= 2 && units <= 4 && (tens < 12 || tens > 14) ? few : many;
}
