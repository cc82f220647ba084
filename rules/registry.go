package rules

import "github.com/composure-dev/composure/rules/lint"

// All is the catalogue, in the order `composure rules` lists it. Ids are
// never reused; a retired rule keeps its id out of this list forever.
func All() []*lint.Rule {
	return []*lint.Rule{
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
		LegacyComposeFormat,
		lint.IgnoreWithoutReason,
		lint.UnusedIgnore,
	}
}

// ByID finds a rule in the catalogue.
func ByID(id string) *lint.Rule {
	for _, r := range All() {
		if r.ID == id {
			return r
		}
	}
	return nil
}
