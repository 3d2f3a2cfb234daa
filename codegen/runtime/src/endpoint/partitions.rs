//! Stand-in for the partition table the generator emits from its partitions file: three
//! partitions, enough for the runtime's own tests of `aws.partition`.

use super::support::{Partition, PartitionEntry, RegionPart};

/// The stand-in partitions, in the order `aws.partition` tries them.
pub(super) const PARTITIONS: &[PartitionEntry] = &[
    PartitionEntry {
        outputs: Partition {
            name: "aws",
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-east-1",
        },
        regions: &["aws-global", "us-east-1"],
        region_regex: &[
            RegionPart::OneOf(&["us", "eu"]),
            RegionPart::Literal("-"),
            RegionPart::Word,
            RegionPart::Literal("-"),
            RegionPart::Digits,
        ],
    },
    PartitionEntry {
        outputs: Partition {
            name: "aws-us-gov",
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-gov-west-1",
        },
        regions: &["aws-us-gov-global", "us-gov-west-1"],
        region_regex: &[RegionPart::Literal("us-gov-"), RegionPart::Word, RegionPart::Literal("-"), RegionPart::Digits],
    },
    PartitionEntry {
        outputs: Partition {
            name: "aws-eusc",
            dns_suffix: "amazonaws.eu",
            dual_stack_dns_suffix: "amazonaws.eu",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "eusc-de-east-1",
        },
        regions: &["eusc-de-east-1"],
        region_regex: &[
            RegionPart::Literal("eusc-"),
            RegionPart::OneOf(&["de"]),
            RegionPart::Literal("-"),
            RegionPart::Word,
            RegionPart::Literal("-"),
            RegionPart::Digits,
        ],
    },
];
