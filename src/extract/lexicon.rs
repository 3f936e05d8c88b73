//! Small closed word lists the rules share: titles, organisations, speech
//! verbs, name particles. General English and news vocabulary only.

/// Words that end a title phrase and can stand right before a name.
const TITLE_HEADS: &[&str] = &[
    "minister", "president", "secretary", "secretary-general", "director-general", "chancellor",
    "premier", "king", "queen", "prince", "princess", "emperor", "empress", "ambassador", "envoy",
    "governor", "mayor", "senator", "sen.", "rep.", "gov.", "representative", "congressman",
    "congresswoman", "speaker", "spokesman", "spokeswoman", "spokesperson", "commissioner",
    "diplomat", "counterpart", "leader", "chief", "general", "gen.", "admiral", "adm.", "commander",
    "chairman", "chairwoman", "chair", "judge", "justice", "prosecutor", "president-elect",
    "vice-president", "head", "adviser", "advisor", "lawmaker", "legislator", "mp",
    "ayatollah", "pope", "lt.", "col.", "colonel", "lieutenant", "major", "captain", "capt.",
    "sergeant", "attorney", "official", "director", "negotiator", "regent", "sultan", "emir",
    "monarch", "deputy", "coordinator", "administrator", "rapporteur", "chief-of-staff",
];

/// Title heads that may stand before a surname alone ("President Trump").
const STRONG_TITLES: &[&str] = &[
    "president", "chancellor", "premier", "king", "queen", "prince", "emperor", "senator", "sen.",
    "rep.", "gov.", "governor", "mayor", "minister", "secretary", "secretary-general",
    "director-general", "general", "gen.", "admiral", "ambassador", "pope", "ayatollah",
    "president-elect", "speaker", "emir", "sultan", "justice", "judge",
];

/// Other words that may stand inside a title phrase.
const TITLE_MODIFIERS: &[&str] = &[
    "vice", "prime", "foreign", "interior", "defense", "defence", "finance", "cabinet", "deputy",
    "acting", "interim", "former", "crown", "special", "high", "supreme", "top", "senior",
    "state", "home", "health", "trade", "economy", "economic", "affairs", "security", "national",
    "justice", "energy", "education", "environment", "agriculture", "labor", "labour", "culture",
    "transport", "treasury", "commerce", "homeland", "intelligence", "defence", "first", "chief",
    "military", "army", "navy", "air", "force", "police", "opposition", "party", "presidential",
    "executive", "joint", "staff", "general", "foreign-affairs", "information", "development",
    "immigration", "climate", "industry", "communications", "relations", "european", "union",
    "u.n.", "un", "regional", "provincial", "federal", "assistant", "undersecretary",
    "under-secretary", "associate", "principal", "permanent", "representative", "majority",
    "minority", "house", "senate", "parliamentary", "parliament", "legal", "press", "government",
    "ministry", "department", "white", "spokesman", "spokeswoman", "then", "the", "their", "its",
    "his", "her",
];

/// International bodies and organisation words (not countries).
const ORG_WORDS: &[&str] = &[
    "u.n.", "un", "united", "nations", "who", "unhcr", "unicef", "unesco", "iaea", "nato", "eu",
    "e.u.", "european", "commission", "council", "imf", "wto", "opec", "asean", "apec", "g7",
    "g20", "african", "union", "world", "bank", "health", "organization", "organisation", "red",
    "cross", "icrc", "osce", "oas", "au", "fao", "wfp", "ilo", "interpol", "icc", "unrwa", "undp",
    "ocha", "security", "amnesty", "international", "hrw", "msf", "arab", "league", "gulf",
    "cooperation", "federal", "reserve", "fed", "ecb", "central",
];

const NAME_PARTICLES: &[&str] = &[
    "von", "van", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le",
    "bin", "ibn", "al", "el", "ben", "ter", "zu", "y",
];

/// Capitalised words that start sentences or name things, never people.
const COMMON_CAPITALIZED: &[&str] = &[
    "The", "A", "An", "In", "On", "At", "For", "From", "With", "By", "And", "But", "Or", "As",
    "After", "Before", "During", "Since", "While", "When", "Where", "Who", "What", "Why", "How",
    "This", "That", "These", "Those", "It", "Its", "He", "She", "They", "We", "I", "You", "His",
    "Her", "Their", "Our", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    "Sunday", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul",
    "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mr", "Mrs", "Ms", "Dr", "Speaking", "Meanwhile",
    "However", "Also", "Some", "Many", "More", "Most", "Several", "Both", "All", "Each", "Other",
    "Another", "Such", "If", "Although", "Because", "Despite", "Under", "Over", "Among",
    "Between", "About", "Against", "Earlier", "Later", "Last", "Next", "Today", "Yesterday",
    "Tomorrow", "Afterwards", "Reuters", "AP", "AFP", "VOA", "News", "Breaking", "Ministry",
    "Government", "Office", "Department", "Parliament", "Congress", "Senate", "House", "Court",
    "Party", "Army", "Police", "Embassy", "Agency", "Summit", "Council", "Committee", "Republic",
    "Kingdom", "State", "States", "Democratic", "Republican", "Republicans", "Democrats",
    "Conservative", "Labour", "Liberal", "Islamic", "Christian", "Muslim", "Jewish", "Catholic",
    "Brexit", "Partnership", "COVID-19", "Covid", "Coronavirus", "Thanksgiving", "Christmas",
    "Easter", "Ramadan", "Eid", "Olympics", "Twitter", "Facebook", "Weibo", "Telegram",
    "Instagram", "YouTube", "Google", "Apple", "Microsoft", "North", "South", "East", "West",
    "Northern", "Southern", "Eastern", "Western", "Central", "Pacific", "Atlantic", "Indian",
    "Arctic", "Asia", "Africa", "Europe", "America", "Americas", "Middle", "Gulf", "Sea", "Ocean",
    "River", "Island", "Islands", "Peninsula", "Strait", "Region", "Province", "City", "Street",
    "Square", "Palace", "Hall", "Hospital", "University", "School", "Institute", "Center",
    "Centre", "Foundation", "Association", "Corporation", "Company", "Group", "Bank", "Airlines",
    "Times", "Post", "Journal", "Daily", "Press", "Television", "Radio", "Network", "Online",
    "Quote", "Unquote", "Nikkei", "Nasdaq", "Dow", "Friday's", "Thursday's", "Asked", "Sources",
    "Officials", "Authorities", "Protesters", "Lawmakers", "Leaders", "Ministers", "According",
    "Japanese", "Chinese", "Global", "National", "International", "Federal", "Supreme", "High",
    "Foreign", "Prime", "Vice", "General", "Secretary", "Minister", "President", "Chief",
    "Independence", "Revolution", "Liberation", "Front", "People", "People's", "Forces",
    "Force", "Guard", "Guards", "Navy", "Air", "Coast", "Command", "Union", "Alliance",
    "Coalition", "Movement", "Organization", "Organisation", "Fund", "Program", "Programme",
    "Plan", "Act", "Bill", "Law", "Treaty", "Accord", "Agreement", "Deal", "Conference",
    "Forum", "Talks", "Games", "Cup", "World", "Day", "Week", "Year", "Zone", "Ukraine's",
];

const SPEECH_VERBS: &[&str] = &[
    "said", "says", "say", "told", "tells", "added", "adds", "wrote", "writes", "tweeted",
    "posted", "stated", "states", "declared", "declares", "announced", "announces", "explained",
    "noted", "notes", "stressed", "stresses", "insisted", "insists", "argued", "argues",
    "asked", "asks", "replied", "answered", "warned", "warns", "urged", "urges", "claimed",
    "claims", "confirmed", "confirms", "acknowledged", "admitted", "denied", "denies",
    "emphasized", "emphasised", "emphasizes", "underlined", "reiterated", "repeated",
    "suggested", "predicted", "promised", "pledged", "vowed", "vows", "recalled", "remarked",
    "commented", "cautioned", "conceded", "complained", "hailed", "praised", "welcomed",
    "criticized", "criticised", "condemned", "accused", "alleged", "appealed", "called",
    "demanded", "reported", "reports", "disclosed", "revealed", "estimated", "assured",
    "contended", "maintained", "observed", "responded", "countered", "agreed", "agrees",
    "adding", "saying", "telling", "speaking", "writing", "arguing", "warning", "noting",
    "stressing", "insisting", "describing", "calling", "urging", "announcing", "explaining",
    "declaring", "claiming", "asserted", "asserts", "signaled", "signalled", "expressed",
    "described", "described", "tells", "quoted", "according",
];

pub fn is_title_head(w: &str) -> bool {
    let l = w.to_lowercase();
    TITLE_HEADS.contains(&l.as_str()) || l.ends_with("-elect") || l.ends_with("minister")
}

pub fn is_strong_title(w: &str) -> bool {
    let l = w.to_lowercase();
    STRONG_TITLES.contains(&l.as_str()) || l.ends_with("-elect")
}

pub fn is_title_word(w: &str) -> bool {
    let l = w.to_lowercase();
    is_title_head(w) || TITLE_MODIFIERS.contains(&l.as_str())
}

pub fn is_org_word(w: &str) -> bool {
    let l = w.to_lowercase();
    if ORG_WORDS.contains(&l.as_str()) {
        // "Un" and "who" only in capitals (U.N., WHO), not as English words.
        return !(matches!(l.as_str(), "who" | "un" | "au" | "fed") && w != w.to_uppercase());
    }
    false
}

pub fn is_name_particle(w: &str) -> bool {
    NAME_PARTICLES.contains(&w)
}

pub fn is_common_capitalized(w: &str) -> bool {
    COMMON_CAPITALIZED.contains(&w)
}

pub fn is_speech_verb(w: &str) -> bool {
    SPEECH_VERBS.contains(&w.to_lowercase().as_str())
}

/// A gender implied by a title, for pronoun linking.
pub fn title_gender(title: &str) -> Option<super::officials::Gender> {
    use super::officials::Gender;
    let l = title.to_lowercase();
    let last = l.split_whitespace().last().unwrap_or("");
    match last {
        "queen" | "princess" | "empress" | "spokeswoman" | "chairwoman" | "congresswoman" => Some(Gender::Female),
        "king" | "prince" | "emperor" | "spokesman" | "chairman" | "congressman" | "sultan" | "emir" | "pope" | "ayatollah" => Some(Gender::Male),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert!(is_title_head("Minister") && is_title_head("President-elect"));
        assert!(is_title_word("Foreign") && !is_title_head("Foreign"));
        assert!(is_org_word("WHO") && !is_org_word("who"));
        assert!(is_speech_verb("Said") && !is_speech_verb("walked"));
    }
}
