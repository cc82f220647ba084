package rules

// All is the catalogue, in the order `composure rules` lists it. Ids are
// never reused; a retired rule keeps its id out of this list forever.
func All() []*Rule {
	return []*Rule{
		StatefulVolumeMissing,
		AnonymousVolume,
		StateOnTmpfs,
		StateBindMount,
		StatefulReplicas,
		SharedVolumeWriters,
		StatePinnedToHost,
		DataVolumeContainer,
		VolumeNotExternal,
		SecretInEnvironment,
		SecretInEnvFile,
		SecretInterpolatedEnvironment,
		SecretInBuildArgs,
		SecretInCommand,
		SecretFileTracked,
		FixedContainerName,
		PinnedMacAddress,
		IgnoreWithoutReason,
		UnusedIgnore,
	}
}

// ByID finds a rule in the catalogue.
func ByID(id string) *Rule {
	for _, r := range All() {
		if r.ID == id {
			return r
		}
	}
	return nil
}
