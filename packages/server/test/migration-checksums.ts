/**
 * The checksum of each shipped migration, per dialect, pinned. They are also what servers
 * recorded before migrations were SQL files (they hashed the SQL their schema builder
 * compiled), so databases those servers migrated keep starting.
 */
export const PINNED_CHECKSUMS = {
  sqlite: [
    {
      id: 1,
      name: 'initial-schema',
      checksum: '72cef47d5bc0676317c81a7d2fe0fa3182802065b2fb0db3bb4cc626dda278d4',
    },
    {
      id: 2,
      name: 'task-attempts-and-fencing',
      checksum: '03ba221bb8c722eeaa2958ca7486ceaba73b1865b69548dcb0866de504e68da4',
    },
    {
      id: 3,
      name: 'history-numbered-per-task',
      checksum: 'ba0e6fd5104abe70df180236ab294b5e1828a51da63473bb094e0b82bfcd07b8',
    },
    {
      id: 4,
      name: 'claim-replays',
      checksum: '66d4e50f4eb2024b99b5b3e4dbc9d38ba0f5f69033c39a3f83e9dc5fbb1b274f',
    },
    {
      id: 5,
      name: 'claim-and-expiry-order-indexes',
      checksum: '03159ed241f2ea3dcef9bbe89275e84745914ebe7f16578a0026d0111c5d1c80',
    },
  ],
  postgres: [
    {
      id: 1,
      name: 'initial-schema',
      checksum: '3e417514e16185944aeb2fa190333dc233632ac612f86dba8f87783c28ddff1c',
    },
    {
      id: 2,
      name: 'task-attempts-and-fencing',
      checksum: '03ba221bb8c722eeaa2958ca7486ceaba73b1865b69548dcb0866de504e68da4',
    },
    {
      id: 3,
      name: 'history-numbered-per-task',
      checksum: 'ba0e6fd5104abe70df180236ab294b5e1828a51da63473bb094e0b82bfcd07b8',
    },
    {
      id: 4,
      name: 'claim-replays',
      checksum: '66d4e50f4eb2024b99b5b3e4dbc9d38ba0f5f69033c39a3f83e9dc5fbb1b274f',
    },
    {
      id: 5,
      name: 'claim-and-expiry-order-indexes',
      checksum: '1121ebf672ce5e2ab5061014ec2748fe39806b6ceb982f7f3bf89513343f4d13',
    },
  ],
} as const;
