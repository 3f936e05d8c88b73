//! Events: one per reported action or statement of a named actor.
