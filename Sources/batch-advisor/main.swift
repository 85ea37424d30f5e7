print("batch-advisor: not yet")
