package keys

// CanCheck reports whether the service can check keys on the exchange (it
// was given a Runner), so a face can offer "Check now" and "Check all", and
// background checks, only when they can run.
func (s *Service) CanCheck() bool { return s.runner != nil }
