window.BENCHMARK_DATA = {
  "lastUpdate": 1765000000000,
  "repoUrl": "https://github.com/syncbench/syncbench",
  "entries": {
    "syncbench latency": [
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "656412a9b8a1abcd1a6916c74da4f9fc3c6da5d7",
          "message": "commit 0",
          "timestamp": "2026-11-01T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000000",
          "url": "https://github.com/syncbench/syncbench/commit/656412a9b8a1abcd1a6916c74da4f9fc3c6da5d7"
        },
        "date": 1764000000000,
        "tool": "customSmallerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 response p99",
            "value": 1198.7,
            "unit": "ns",
            "range": "1174.726–1222.674",
            "extra": "median of 3 repetitions"
          },
          {
            "name": "Loadgen/impl=gcra/conc=64/rps=5000 response p99",
            "value": 55080.1,
            "unit": "ns",
            "range": "53978.498–56181.702",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "0512bd13110722311710cf5327ac435a7a97c643",
          "message": "commit 1",
          "timestamp": "2026-11-02T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000001",
          "url": "https://github.com/syncbench/syncbench/commit/0512bd13110722311710cf5327ac435a7a97c643"
        },
        "date": 1764086400000,
        "tool": "customSmallerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 response p99",
            "value": 1220.9,
            "unit": "ns",
            "range": "1196.482–1245.3180000000002",
            "extra": "median of 3 repetitions"
          },
          {
            "name": "Loadgen/impl=gcra/conc=64/rps=5000 response p99",
            "value": 56818.7,
            "unit": "ns",
            "range": "55682.325999999994–57955.074",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "ccea71ff4a14876aeaff1a098ca5996666ceab36",
          "message": "commit 2",
          "timestamp": "2026-11-03T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000002",
          "url": "https://github.com/syncbench/syncbench/commit/ccea71ff4a14876aeaff1a098ca5996666ceab36"
        },
        "date": 1764172800000,
        "tool": "customSmallerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 response p99",
            "value": 1202.3,
            "unit": "ns",
            "range": "1178.254–1226.346",
            "extra": "median of 3 repetitions"
          },
          {
            "name": "Loadgen/impl=gcra/conc=64/rps=5000 response p99",
            "value": 55552.6,
            "unit": "ns",
            "range": "54441.547999999995–56663.652",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "8534f45738d048ec0f1099c6c3e1b258fd724452",
          "message": "commit 3",
          "timestamp": "2026-11-04T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000003",
          "url": "https://github.com/syncbench/syncbench/commit/8534f45738d048ec0f1099c6c3e1b258fd724452"
        },
        "date": 1764259200000,
        "tool": "customSmallerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 response p99",
            "value": 1219.6,
            "unit": "ns",
            "range": "1195.2079999999999–1243.992",
            "extra": "median of 3 repetitions"
          },
          {
            "name": "Loadgen/impl=gcra/conc=64/rps=5000 response p99",
            "value": 56162.1,
            "unit": "ns",
            "range": "55038.858–57285.342",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "2c33be0ac79d679346d4ac7a5c3902b38963dc6e",
          "message": "commit 4",
          "timestamp": "2026-11-05T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000004",
          "url": "https://github.com/syncbench/syncbench/commit/2c33be0ac79d679346d4ac7a5c3902b38963dc6e"
        },
        "date": 1764345600000,
        "tool": "customSmallerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 response p99",
            "value": 1218.4,
            "unit": "ns",
            "range": "1194.0320000000002–1242.768",
            "extra": "median of 3 repetitions"
          },
          {
            "name": "Loadgen/impl=gcra/conc=64/rps=5000 response p99",
            "value": 56779.6,
            "unit": "ns",
            "range": "55644.007999999994–57915.192",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "f165c8ce36e2f24b43000de01b2ed40ed3addccb",
          "message": "commit 5",
          "timestamp": "2026-11-06T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000005",
          "url": "https://github.com/syncbench/syncbench/commit/f165c8ce36e2f24b43000de01b2ed40ed3addccb"
        },
        "date": 1764432000000,
        "tool": "customSmallerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 response p99",
            "value": 1200.4,
            "unit": "ns",
            "range": "1176.392–1224.4080000000001",
            "extra": "median of 3 repetitions"
          },
          {
            "name": "Loadgen/impl=gcra/conc=64/rps=5000 response p99",
            "value": 55807.2,
            "unit": "ns",
            "range": "54691.056–56923.344",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "ce80c4b0a4042bb3d4341aad06905269ed6f0b09",
          "message": "commit 6",
          "timestamp": "2026-11-07T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000006",
          "url": "https://github.com/syncbench/syncbench/commit/ce80c4b0a4042bb3d4341aad06905269ed6f0b09"
        },
        "date": 1764518400000,
        "tool": "customSmallerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 response p99",
            "value": 1204.7,
            "unit": "ns",
            "range": "1180.606–1228.794",
            "extra": "median of 3 repetitions"
          },
          {
            "name": "Loadgen/impl=gcra/conc=64/rps=5000 response p99",
            "value": 55845.5,
            "unit": "ns",
            "range": "54728.59–56962.41",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "2a3187853184ff27459142deccea264542a00403",
          "message": "commit 7",
          "timestamp": "2026-11-08T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000007",
          "url": "https://github.com/syncbench/syncbench/commit/2a3187853184ff27459142deccea264542a00403"
        },
        "date": 1764604800000,
        "tool": "customSmallerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 response p99",
            "value": 1183.7,
            "unit": "ns",
            "range": "1160.026–1207.374",
            "extra": "median of 3 repetitions"
          },
          {
            "name": "Loadgen/impl=gcra/conc=64/rps=5000 response p99",
            "value": 55563.4,
            "unit": "ns",
            "range": "54452.132–56674.668000000005",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "bb5d7385de08caa1a08179104a25e4664f5253a0",
          "message": "commit 8",
          "timestamp": "2026-11-09T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000008",
          "url": "https://github.com/syncbench/syncbench/commit/bb5d7385de08caa1a08179104a25e4664f5253a0"
        },
        "date": 1764691200000,
        "tool": "customSmallerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 response p99",
            "value": 1518.8,
            "unit": "ns",
            "range": "1488.424–1549.176",
            "extra": "median of 3 repetitions"
          },
          {
            "name": "Loadgen/impl=gcra/conc=64/rps=5000 response p99",
            "value": 54976.9,
            "unit": "ns",
            "range": "53877.362–56076.438",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "5f552773e14b0190d93936e1daca3c06f5ff0c03",
          "message": "commit 9",
          "timestamp": "2026-11-10T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000009",
          "url": "https://github.com/syncbench/syncbench/commit/5f552773e14b0190d93936e1daca3c06f5ff0c03"
        },
        "date": 1764777600000,
        "tool": "customSmallerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 response p99",
            "value": 1472.8,
            "unit": "ns",
            "range": "1443.3439999999998–1502.256",
            "extra": "median of 3 repetitions"
          },
          {
            "name": "Loadgen/impl=gcra/conc=64/rps=5000 response p99",
            "value": 56283.0,
            "unit": "ns",
            "range": "55157.34–57408.66",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "abf4a07c566002249b191bf4d8441b5616332aca",
          "message": "commit 10",
          "timestamp": "2026-11-11T10:00:00+01:00",
          "tree_id": "000000000000000000000000000000000000000a",
          "url": "https://github.com/syncbench/syncbench/commit/abf4a07c566002249b191bf4d8441b5616332aca"
        },
        "date": 1764864000000,
        "tool": "customSmallerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 response p99",
            "value": 1486.8,
            "unit": "ns",
            "range": "1457.0639999999999–1516.536",
            "extra": "median of 3 repetitions"
          },
          {
            "name": "Loadgen/impl=gcra/conc=64/rps=5000 response p99",
            "value": 56077.6,
            "unit": "ns",
            "range": "54956.047999999995–57199.152",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "3f5082492d83a8233fb62d2c81862fc9634f806f",
          "message": "commit 11",
          "timestamp": "2026-11-12T10:00:00+01:00",
          "tree_id": "000000000000000000000000000000000000000b",
          "url": "https://github.com/syncbench/syncbench/commit/3f5082492d83a8233fb62d2c81862fc9634f806f"
        },
        "date": 1764950400000,
        "tool": "customSmallerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 response p99",
            "value": 1498.3,
            "unit": "ns",
            "range": "1468.3339999999998–1528.266",
            "extra": "median of 3 repetitions"
          },
          {
            "name": "Loadgen/impl=gcra/conc=64/rps=5000 response p99",
            "value": 55648.0,
            "unit": "ns",
            "range": "54535.04–56760.96",
            "extra": "median of 3 repetitions"
          }
        ]
      }
    ],
    "syncbench throughput": [
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "656412a9b8a1abcd1a6916c74da4f9fc3c6da5d7",
          "message": "commit 0",
          "timestamp": "2026-11-01T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000000",
          "url": "https://github.com/syncbench/syncbench/commit/656412a9b8a1abcd1a6916c74da4f9fc3c6da5d7"
        },
        "date": 1764000000000,
        "tool": "customBiggerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 achieved",
            "value": 21417714.3,
            "unit": "ops/s",
            "range": "20989360.014–21846068.586000003",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "0512bd13110722311710cf5327ac435a7a97c643",
          "message": "commit 1",
          "timestamp": "2026-11-02T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000001",
          "url": "https://github.com/syncbench/syncbench/commit/0512bd13110722311710cf5327ac435a7a97c643"
        },
        "date": 1764086400000,
        "tool": "customBiggerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 achieved",
            "value": 20744281.7,
            "unit": "ops/s",
            "range": "20329396.066–21159167.334",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "ccea71ff4a14876aeaff1a098ca5996666ceab36",
          "message": "commit 2",
          "timestamp": "2026-11-03T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000002",
          "url": "https://github.com/syncbench/syncbench/commit/ccea71ff4a14876aeaff1a098ca5996666ceab36"
        },
        "date": 1764172800000,
        "tool": "customBiggerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 achieved",
            "value": 20926747.5,
            "unit": "ops/s",
            "range": "20508212.55–21345282.45",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "8534f45738d048ec0f1099c6c3e1b258fd724452",
          "message": "commit 3",
          "timestamp": "2026-11-04T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000003",
          "url": "https://github.com/syncbench/syncbench/commit/8534f45738d048ec0f1099c6c3e1b258fd724452"
        },
        "date": 1764259200000,
        "tool": "customBiggerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 achieved",
            "value": 20750243.3,
            "unit": "ops/s",
            "range": "20335238.434–21165248.166",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "2c33be0ac79d679346d4ac7a5c3902b38963dc6e",
          "message": "commit 4",
          "timestamp": "2026-11-05T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000004",
          "url": "https://github.com/syncbench/syncbench/commit/2c33be0ac79d679346d4ac7a5c3902b38963dc6e"
        },
        "date": 1764345600000,
        "tool": "customBiggerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 achieved",
            "value": 21111438.6,
            "unit": "ops/s",
            "range": "20689209.828–21533667.372",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "f165c8ce36e2f24b43000de01b2ed40ed3addccb",
          "message": "commit 5",
          "timestamp": "2026-11-06T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000005",
          "url": "https://github.com/syncbench/syncbench/commit/f165c8ce36e2f24b43000de01b2ed40ed3addccb"
        },
        "date": 1764432000000,
        "tool": "customBiggerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 achieved",
            "value": 20812096.1,
            "unit": "ops/s",
            "range": "20395854.178–21228338.022000004",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "ce80c4b0a4042bb3d4341aad06905269ed6f0b09",
          "message": "commit 6",
          "timestamp": "2026-11-07T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000006",
          "url": "https://github.com/syncbench/syncbench/commit/ce80c4b0a4042bb3d4341aad06905269ed6f0b09"
        },
        "date": 1764518400000,
        "tool": "customBiggerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 achieved",
            "value": 20878897.8,
            "unit": "ops/s",
            "range": "20461319.844–21296475.756",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "2a3187853184ff27459142deccea264542a00403",
          "message": "commit 7",
          "timestamp": "2026-11-08T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000007",
          "url": "https://github.com/syncbench/syncbench/commit/2a3187853184ff27459142deccea264542a00403"
        },
        "date": 1764604800000,
        "tool": "customBiggerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 achieved",
            "value": 21207431.9,
            "unit": "ops/s",
            "range": "20783283.262–21631580.538",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "bb5d7385de08caa1a08179104a25e4664f5253a0",
          "message": "commit 8",
          "timestamp": "2026-11-09T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000008",
          "url": "https://github.com/syncbench/syncbench/commit/bb5d7385de08caa1a08179104a25e4664f5253a0"
        },
        "date": 1764691200000,
        "tool": "customBiggerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 achieved",
            "value": 20849361.9,
            "unit": "ops/s",
            "range": "20432374.661999997–21266349.138",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "5f552773e14b0190d93936e1daca3c06f5ff0c03",
          "message": "commit 9",
          "timestamp": "2026-11-10T10:00:00+01:00",
          "tree_id": "0000000000000000000000000000000000000009",
          "url": "https://github.com/syncbench/syncbench/commit/5f552773e14b0190d93936e1daca3c06f5ff0c03"
        },
        "date": 1764777600000,
        "tool": "customBiggerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 achieved",
            "value": 21049164.3,
            "unit": "ops/s",
            "range": "20628181.014–21470147.586000003",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "abf4a07c566002249b191bf4d8441b5616332aca",
          "message": "commit 10",
          "timestamp": "2026-11-11T10:00:00+01:00",
          "tree_id": "000000000000000000000000000000000000000a",
          "url": "https://github.com/syncbench/syncbench/commit/abf4a07c566002249b191bf4d8441b5616332aca"
        },
        "date": 1764864000000,
        "tool": "customBiggerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 achieved",
            "value": 21339624.7,
            "unit": "ops/s",
            "range": "20912832.206–21766417.194",
            "extra": "median of 3 repetitions"
          }
        ]
      },
      {
        "commit": {
          "author": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "committer": {
            "email": "dev@example.com",
            "name": "dev",
            "username": "dev"
          },
          "distinct": true,
          "id": "3f5082492d83a8233fb62d2c81862fc9634f806f",
          "message": "commit 11",
          "timestamp": "2026-11-12T10:00:00+01:00",
          "tree_id": "000000000000000000000000000000000000000b",
          "url": "https://github.com/syncbench/syncbench/commit/3f5082492d83a8233fb62d2c81862fc9634f806f"
        },
        "date": 1764950400000,
        "tool": "customBiggerIsBetter",
        "benches": [
          {
            "name": "Loadgen/impl=mutex/conc=8/rps=0 achieved",
            "value": 20664822.7,
            "unit": "ops/s",
            "range": "20251526.246–21078119.154",
            "extra": "median of 3 repetitions"
          }
        ]
      }
    ]
  }
}
