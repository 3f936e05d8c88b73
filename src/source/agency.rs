//! News agencies and broadcasters, by the names and abbreviations they
//! sign with, so that `(Reuters)`, `Associated Press` and `VOA NEWS` all
//! give one canonical `source`.

/// (canonical name, names it is written as). Matching is case-insensitive
/// on whole names.
const AGENCIES: &[(&str, &[&str])] = &[
    ("Reuters", &["reuters", "thomson reuters"]),
    ("AP", &["ap", "associated press", "the associated press"]),
    (
        "AFP",
        &["afp", "agence france-presse", "agence france presse"],
    ),
    ("VOA", &["voa", "voice of america", "voa news"]),
    ("Kyodo", &["kyodo", "kyodo news"]),
    ("Yonhap", &["yonhap", "yonhap news agency", "yonhap news"]),
    ("Xinhua", &["xinhua", "xinhua news agency"]),
    ("BBC", &["bbc", "bbc news"]),
    ("CNN", &["cnn"]),
    ("dpa", &["dpa", "deutsche presse-agentur"]),
    ("Bloomberg", &["bloomberg", "bloomberg news"]),
    ("UPI", &["upi", "united press international"]),
    ("TASS", &["tass"]),
    ("RIA Novosti", &["ria novosti", "ria"]),
    ("Interfax", &["interfax"]),
    ("ANSA", &["ansa"]),
    ("EFE", &["efe"]),
    ("PTI", &["pti", "press trust of india"]),
    ("ANI", &["ani"]),
    ("Anadolu", &["anadolu", "anadolu agency"]),
    ("KCNA", &["kcna", "korean central news agency"]),
    ("Jiji", &["jiji", "jiji press"]),
    ("NHK", &["nhk"]),
    ("Al Jazeera", &["al jazeera"]),
    ("NPR", &["npr"]),
    ("Bernama", &["bernama"]),
    ("Antara", &["antara"]),
    ("CNA", &["cna"]),
];

/// The canonical name of an agency written as `name`, if we know it.
pub fn canonical(name: &str) -> Option<&'static str> {
    let n = name
        .trim()
        .trim_end_matches(['.', ':'])
        .trim()
        .to_lowercase();
    AGENCIES
        .iter()
        .find(|(_, names)| names.contains(&n.as_str()))
        .map(|(c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names() {
        assert_eq!(canonical("Reuters"), Some("Reuters"));
        assert_eq!(canonical("The Associated Press"), Some("AP"));
        assert_eq!(canonical("VOA NEWS"), Some("VOA"));
        assert_eq!(canonical("Daily Planet"), None);
    }
}
