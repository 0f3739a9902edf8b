"""The taggers: companies (ticker, ISIN), topics and sentiment, from data files in data/."""
